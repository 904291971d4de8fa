package dev.switchboard.translate.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON schemas between Chat (full JSON Schema) and Gemini. Towards Gemini only the keywords its
 * JSON-Schema subset documents are kept (pitfall P15): local {@code $ref}s are inlined,
 * {@code allOf} object branches merged, {@code const} becomes a one-value {@code enum} and
 * {@code type:[T,"null"]} becomes {@code type:T, nullable:true}. From Gemini, the OpenAPI-style
 * {@code parameters}/{@code responseSchema} (upper-case types, {@code nullable}) become JSON Schema.
 */
final class GeminiSchemas {

  private static final Set<String> KEPT = Set.of("type", "format", "title", "description", "enum", "items", "prefixItems",
      "minItems", "maxItems", "minimum", "maximum", "anyOf", "oneOf", "properties", "additionalProperties", "required",
      "propertyOrdering", "nullable");
  /** Inlining stops here: a recursive {@code $ref} would otherwise never end. */
  private static final int MAX_DEPTH = 24;

  private GeminiSchemas() {}

  /** A Chat schema as Gemini's {@code parametersJsonSchema}/{@code responseJsonSchema} accept it. */
  static JsonObject forGemini(JsonObject schema) {
    JsonObject defs = new JsonObject();
    for (String key : new String[] {"$defs", "definitions"}) {
      if (schema.getValue(key) instanceof JsonObject d) defs.mergeIn(d);
    }
    return clean(schema, defs, new ArrayDeque<>(), 0);
  }

  /** {@code expanding}: the {@code $ref}s being inlined above this node; a repeat is a cycle. */
  private static JsonObject clean(JsonObject in, JsonObject defs, Deque<String> expanding, int depth) {
    if (depth > MAX_DEPTH) return new JsonObject();
    JsonObject schema = in;
    String ref = in.getValue("$ref") instanceof String r ? r : null;
    if (ref != null) {
      JsonObject target = resolve(ref, defs);
      if (target != null && expanding.contains(ref)) return cycleStub(target);
      schema = target == null ? new JsonObject() : target.copy().mergeIn(without(in, "$ref"));
      if (target != null) expanding.push(ref);
      else ref = null;
    }
    // a definition that is itself a $ref is followed in turn; the cycle check stops a loop
    JsonObject out = ref != null && schema.getValue("$ref") instanceof String
        ? clean(schema, defs, expanding, depth + 1) : cleanResolved(schema, defs, expanding, depth);
    if (ref != null) expanding.pop();
    return out;
  }

  /** A recursive schema cannot be inlined: the repeated node keeps its type and description only. */
  private static JsonObject cycleStub(JsonObject target) {
    JsonObject stub = new JsonObject();
    if (target.getValue("type") instanceof String t) stub.put("type", t);
    if (target.getValue("description") instanceof String d) stub.put("description", d);
    return stub;
  }

  private static JsonObject cleanResolved(JsonObject resolved, JsonObject defs, Deque<String> expanding, int depth) {
    JsonObject schema = resolved;
    if (schema.getValue("allOf") instanceof JsonArray all) schema = mergeAllOf(without(schema, "allOf"), all, defs);
    JsonObject out = new JsonObject();
    for (String key : schema.fieldNames()) {
      Object v = schema.getValue(key);
      if (key.equals("const")) {
        if (!schema.containsKey("enum")) out.put("enum", new JsonArray().add(v));
        continue;
      }
      if (!KEPT.contains(key)) continue;
      switch (key) {
        case "type" -> type(v, out);
        case "properties" -> {
          if (!(v instanceof JsonObject props)) continue;
          JsonObject cleaned = new JsonObject();
          for (String name : props.fieldNames()) {
            if (props.getValue(name) instanceof JsonObject p) cleaned.put(name, clean(p, defs, expanding, depth + 1));
          }
          out.put(key, cleaned);
        }
        case "items", "additionalProperties" -> {
          if (v instanceof JsonObject o) out.put(key, clean(o, defs, expanding, depth + 1));
          else if (v instanceof Boolean) out.put(key, v);
        }
        case "anyOf", "oneOf", "prefixItems" -> {
          if (!(v instanceof JsonArray list)) continue;
          JsonArray cleaned = new JsonArray();
          for (Object o : list) if (o instanceof JsonObject branch) cleaned.add(clean(branch, defs, expanding, depth + 1));
          if (!cleaned.isEmpty()) out.put(key, cleaned);
        }
        default -> out.put(key, v instanceof JsonObject o ? o.copy() : v instanceof JsonArray a ? a.copy() : v);
      }
    }
    return out;
  }

  /** {@code ["string","null"]} is refused ("Proto field is not repeating"): one type plus nullable. */
  private static void type(Object v, JsonObject out) {
    if (v instanceof String s) {
      out.put("type", s);
      return;
    }
    if (!(v instanceof JsonArray types)) return;
    String first = null;
    for (Object t : types) {
      if ("null".equals(t)) out.put("nullable", true);
      else if (t instanceof String s && first == null) first = s;
    }
    if (first != null) out.put("type", first);
  }

  private static JsonObject resolve(String ref, JsonObject defs) {
    for (String prefix : new String[] {"#/$defs/", "#/definitions/"}) {
      if (ref.startsWith(prefix) && defs.getValue(ref.substring(prefix.length())) instanceof JsonObject target) return target;
    }
    return null;
  }

  private static JsonObject mergeAllOf(JsonObject base, JsonArray branches, JsonObject defs) {
    JsonObject merged = base.copy();
    JsonObject properties = merged.getValue("properties") instanceof JsonObject p ? p.copy() : new JsonObject();
    Set<String> required = new LinkedHashSet<>();
    if (merged.getValue("required") instanceof JsonArray r) r.forEach(o -> { if (o instanceof String s) required.add(s); });
    for (Object o : branches) {
      if (!(o instanceof JsonObject raw)) continue;
      JsonObject target = raw.getValue("$ref") instanceof String ref ? resolve(ref, defs) : null;
      JsonObject branch = target != null ? target : raw;
      if (branch.getValue("properties") instanceof JsonObject p) {
        for (String k : p.fieldNames()) if (!properties.containsKey(k)) properties.put(k, p.getValue(k));
      }
      if (branch.getValue("required") instanceof JsonArray r) r.forEach(x -> { if (x instanceof String s) required.add(s); });
      for (String k : branch.fieldNames()) {
        if (!merged.containsKey(k) && !k.equals("properties") && !k.equals("required")) merged.put(k, branch.getValue(k));
      }
    }
    if (!properties.isEmpty()) merged.put("properties", properties);
    if (!required.isEmpty()) merged.put("required", new JsonArray(List.copyOf(required)));
    return merged;
  }

  private static JsonObject without(JsonObject o, String key) {
    JsonObject copy = o.copy();
    copy.remove(key);
    return copy;
  }

  /** A Gemini OpenAPI-subset schema ({@code STRING}, {@code nullable}) as JSON Schema for Chat. */
  static JsonObject toJsonSchema(JsonObject in) {
    return toJson(in, 0);
  }

  private static JsonObject toJson(JsonObject in, int depth) {
    JsonObject out = new JsonObject();
    if (depth > MAX_DEPTH) return out;
    boolean nullable = Boolean.TRUE.equals(in.getValue("nullable"));
    for (String key : in.fieldNames()) {
      Object v = in.getValue(key);
      switch (key) {
        case "nullable" -> { }
        case "type" -> {
          if (!(v instanceof String s) || s.isEmpty() || s.equalsIgnoreCase("TYPE_UNSPECIFIED")) continue;
          String type = s.toLowerCase(Locale.ROOT);
          out.put("type", nullable ? new JsonArray().add(type).add("null") : type);
        }
        case "properties" -> {
          if (!(v instanceof JsonObject props)) continue;
          JsonObject converted = new JsonObject();
          for (String name : props.fieldNames()) {
            if (props.getValue(name) instanceof JsonObject p) converted.put(name, toJson(p, depth + 1));
          }
          out.put(key, converted);
        }
        case "items", "additionalProperties" -> {
          if (v instanceof JsonObject o) out.put(key, toJson(o, depth + 1));
          else if (v instanceof Boolean) out.put(key, v);
        }
        case "anyOf", "oneOf", "prefixItems" -> {
          if (!(v instanceof JsonArray list)) continue;
          JsonArray converted = new JsonArray();
          for (Object o : list) if (o instanceof JsonObject branch) converted.add(toJson(branch, depth + 1));
          out.put(key, converted);
        }
        case "propertyOrdering" -> { } // Gemini-only ordering hint
        default -> out.put(key, v instanceof JsonObject o ? o.copy() : v instanceof JsonArray a ? a.copy() : v);
      }
    }
    return out;
  }
}
