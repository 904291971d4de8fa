package dev.switchboard.translate.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Tool parameter schemas as Anthropic accepts them: a root {@code type:"object"} schema
 * (pitfall P16). Root-level {@code anyOf/oneOf/allOf} branches that are objects are merged
 * into one object, as CLIProxyAPI's {@code NormalizeClaudeToolInputSchema} does.
 */
final class AnthropicSchemas {

  private AnthropicSchemas() {}

  static JsonObject objectRoot(Object parameters) {
    if (!(parameters instanceof JsonObject given)) return emptyObject();
    JsonObject schema = given.copy();
    Object type = schema.getValue("type");
    if ("object".equals(type)) {
      if (!(schema.getValue("properties") instanceof JsonObject)) schema.put("properties", new JsonObject());
      return schema;
    }
    if (type == null && schema.getValue("properties") instanceof JsonObject) {
      return schema.put("type", "object");
    }
    for (String combinator : new String[] {"allOf", "anyOf", "oneOf"}) {
      if (schema.getValue(combinator) instanceof JsonArray branches) {
        schema.remove(combinator);
        merge(schema, branches, combinator.equals("allOf"));
        return schema;
      }
    }
    return emptyObject();
  }

  /** allOf: every branch's required fields; anyOf/oneOf: only those every branch requires. */
  private static void merge(JsonObject schema, JsonArray branches, boolean all) {
    JsonObject properties = new JsonObject();
    Set<String> required = null;
    for (Object b : branches) {
      if (!(b instanceof JsonObject branch)) continue;
      if (branch.getValue("properties") instanceof JsonObject p) {
        for (String k : p.fieldNames()) {
          if (!properties.containsKey(k)) properties.put(k, p.getValue(k));
        }
      }
      Set<String> req = new LinkedHashSet<>();
      if (branch.getValue("required") instanceof JsonArray r) {
        for (Object o : r) if (o instanceof String s) req.add(s);
      }
      if (required == null) required = req;
      else if (all) required.addAll(req);
      else required.retainAll(req);
    }
    schema.put("type", "object").put("properties", properties);
    if (required != null && !required.isEmpty()) schema.put("required", new JsonArray(new ArrayList<>(required)));
    else schema.remove("required");
  }

  private static JsonObject emptyObject() {
    return new JsonObject().put("type", "object").put("properties", new JsonObject());
  }
}
