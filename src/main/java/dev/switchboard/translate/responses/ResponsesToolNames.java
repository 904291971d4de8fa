package dev.switchboard.translate.responses;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The tools of one Responses request that Chat can only carry as plain functions: custom
 * (free-form) tools, sent as a function with one string argument {@code input} (CLIProxyAPI's
 * convention, {@code translation-matrix.md} §7.1), and the functions inside a {@code namespace}
 * tool (Codex's MCP servers), sent under the name {@code <namespace>__<name>}. Knowing the request,
 * the answer turns those calls back into what the client declared.
 */
final class ResponsesToolNames {

  /** What the client declared behind one Chat function name. */
  record Declared(String name, String namespace, boolean custom) {}

  static final ResponsesToolNames NONE = new ResponsesToolNames(Map.of());

  private final Map<String, Declared> byChatName;

  private ResponsesToolNames(Map<String, Declared> byChatName) {
    this.byChatName = byChatName;
  }

  /** Reads the request's tools; anything malformed is left to the request translation to refuse. */
  static ResponsesToolNames of(JsonObject clientRequest) {
    Map<String, Declared> names = new HashMap<>();
    if (clientRequest != null && clientRequest.getValue("tools") instanceof JsonArray tools) {
      for (Object o : tools) {
        if (!(o instanceof JsonObject t)) continue;
        if ("custom".equals(t.getValue("type")) && t.getValue("name") instanceof String n) {
          names.put(n, new Declared(n, null, true));
        } else if ("namespace".equals(t.getValue("type")) && t.getValue("name") instanceof String ns
            && t.getValue("tools") instanceof JsonArray inner) {
          for (Object i : inner) {
            if (i instanceof JsonObject f && f.getValue("name") instanceof String n) {
              names.put(chatName(ns, n), new Declared(n, ns, "custom".equals(f.getValue("type"))));
            }
          }
        }
      }
    }
    return names.isEmpty() ? NONE : new ResponsesToolNames(names);
  }

  /** The Chat function name of a tool, namespaced or not. */
  static String chatName(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "__" + name;
  }

  /** The declaration behind a Chat function name, or null for a plain function tool. */
  Declared declared(String chatName) {
    return chatName == null ? null : byChatName.get(chatName);
  }

  /** The parameters a custom tool is offered with as a Chat function. */
  static JsonObject customParameters() {
    return new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("input", new JsonObject().put("type", "string")
            .put("description", "The tool's whole input, as free-form text.")))
        .put("required", new JsonArray().add("input"))
        .put("additionalProperties", false);
  }

  /** A custom tool's raw input from the function arguments the model wrote; the text itself if they are not that object. */
  static String customInput(String arguments) {
    try {
      if (new JsonObject(arguments).getValue("input") instanceof String s) return s;
    } catch (RuntimeException notAnObject) {
      // cut off or not JSON: the client gets what the model wrote
    }
    return arguments;
  }
}
