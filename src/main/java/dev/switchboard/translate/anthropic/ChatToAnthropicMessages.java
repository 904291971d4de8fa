package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat {@code messages} as Anthropic {@code system} blocks and {@code messages}. System and
 * developer messages are hoisted in order (P14); the tool messages answering one assistant
 * turn become one user message with a tool_result per call, in call order, before any user
 * text that follows (P11); same-role neighbours are merged.
 */
final class ChatToAnthropicMessages {

  record Result(JsonArray system, JsonArray messages, boolean lastAssistantReadyForThinking) {}

  private ChatToAnthropicMessages() {}

  static Result map(Object value, boolean keepThinking) {
    if (!(value instanceof JsonArray list) || list.isEmpty()) throw new TranslationException("'messages' must be a non-empty array");
    JsonArray system = new JsonArray();
    JsonArray messages = new JsonArray();
    List<String> calls = null; // ids of the last assistant turn's tool calls, until answered
    Map<String, JsonObject> results = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "messages[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject m)) throw new TranslationException("'" + where + "' must be an object");
      Object role = m.getValue("role");
      if ("system".equals(role) || "developer".equals(role)) {
        int from = system.size();
        ChatToAnthropicContent.text(m.getValue("content"), system, where);
        ChatToAnthropicContent.cacheControl(m.getValue("cache_control"), system, from);
        continue;
      }
      if ("tool".equals(role)) {
        if (calls == null) throw new TranslationException("'" + where + "' does not follow an assistant message with tool_calls");
        String id = m.getValue("tool_call_id") instanceof String s && !s.isEmpty() ? toolId(s) : firstUnanswered(calls, results);
        if (id == null || !calls.contains(id)) {
          throw new TranslationException("'" + where + ".tool_call_id' does not match a tool call of the assistant message before it");
        }
        results.put(id, toolResult(id, m, where)); // a repeated answer replaces the earlier one
        continue;
      }
      if (calls != null) {
        append(messages, "user", answers(calls, results));
        calls = null;
      }
      JsonArray blocks = new JsonArray();
      if ("user".equals(role)) {
        ChatToAnthropicContent.rich(m.getValue("content"), blocks, where);
        ChatToAnthropicContent.cacheControl(m.getValue("cache_control"), blocks, 0);
        append(messages, "user", blocks);
      } else if ("assistant".equals(role)) {
        List<String> ids = assistant(m, i, keepThinking, blocks);
        append(messages, "assistant", blocks);
        if (!ids.isEmpty()) {
          calls = ids;
          results.clear();
        }
      } else {
        throw new TranslationException("'" + where + ".role' must be system, developer, user, assistant or tool");
      }
    }
    if (calls != null && results.isEmpty()) {
      dropTrailingToolUse(messages); // unanswered calls at the end cannot be sent to Anthropic
    } else if (calls != null) {
      append(messages, "user", answers(calls, results));
    }
    if (messages.isEmpty()) throw new TranslationException("'messages' must contain a user or assistant message with content");
    return new Result(system, messages, readyForThinking(messages));
  }

  /** Anthropic-safe tool id: kept when already {@code [A-Za-z0-9_-]+}, else cleaned and tagged to stay unique (P12). */
  static String toolId(String id) {
    boolean clean = true;
    StringBuilder sb = new StringBuilder(id.length() + 9);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      clean &= ok;
      sb.append(ok ? c : '_');
    }
    if (clean) return id;
    int h = 0x811c9dc5; // FNV-1a over the original bytes keeps ids that clean to the same text apart
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x01000193;
    return sb.append('_').append(String.format("%08x", h)).toString();
  }

  private static List<String> assistant(JsonObject m, int i, boolean keepThinking, JsonArray blocks) {
    String where = "messages[" + i + "]";
    if (keepThinking && m.getValue("thinking_blocks") instanceof JsonArray thinking) {
      for (Object o : thinking) {
        if (!(o instanceof JsonObject t)) continue;
        // P19: only blocks with their own signature are replayed; plain reasoning_content never is
        if ("thinking".equals(t.getValue("type")) && t.getValue("thinking") instanceof String text
            && t.getValue("signature") instanceof String sig && !sig.isBlank()) {
          blocks.add(new JsonObject().put("type", "thinking").put("thinking", text).put("signature", sig));
        } else if ("redacted_thinking".equals(t.getValue("type")) && t.getValue("data") instanceof String data && !data.isBlank()) {
          blocks.add(new JsonObject().put("type", "redacted_thinking").put("data", data));
        }
      }
    }
    int from = blocks.size();
    ChatToAnthropicContent.text(m.getValue("content"), blocks, where);
    ChatToAnthropicContent.cacheControl(m.getValue("cache_control"), blocks, from);
    List<String> ids = new ArrayList<>();
    Object toolCalls = m.getValue("tool_calls");
    if (toolCalls == null) return ids;
    if (!(toolCalls instanceof JsonArray list)) throw new TranslationException("'" + where + ".tool_calls' must be an array");
    for (int k = 0; k < list.size(); k++) {
      String at = where + ".tool_calls[" + k + "]";
      if (!(list.getValue(k) instanceof JsonObject call) || !"function".equals(call.getValue("type", "function"))) {
        throw new TranslationException("'" + at + "' must be a function call");
      }
      if (!(call.getValue("function") instanceof JsonObject f) || !(f.getValue("name") instanceof String name) || name.isBlank()) {
        throw new TranslationException("'" + at + ".function.name' is required");
      }
      String id = call.getValue("id") instanceof String s && !s.isEmpty() ? toolId(s) : "toolu_gw_" + i + "_" + k;
      ids.add(id);
      blocks.add(new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input(f.getValue("arguments"))));
    }
    return ids;
  }

  /** Arguments are a JSON string in Chat and an object in Anthropic; anything else becomes {} (P6). */
  private static JsonObject input(Object arguments) {
    if (arguments instanceof JsonObject o) return o.copy();
    if (arguments instanceof String s && !s.isBlank()) {
      try {
        if (Json.decodeValue(s) instanceof JsonObject o) return o;
      } catch (DecodeException invalid) {
        // cut off mid-stream (finish_reason length) or never JSON: Anthropic needs an object
      }
    }
    return new JsonObject();
  }

  private static JsonObject toolResult(String id, JsonObject m, String where) {
    JsonObject block = new JsonObject().put("type", "tool_result").put("tool_use_id", id);
    Object content = m.getValue("content");
    if (content instanceof String s) {
      if (!s.isBlank()) block.put("content", s);
    } else {
      JsonArray blocks = new JsonArray();
      ChatToAnthropicContent.rich(content, blocks, where);
      if (!blocks.isEmpty()) block.put("content", blocks);
    }
    return block;
  }

  private static String firstUnanswered(List<String> calls, Map<String, JsonObject> results) {
    for (String id : calls) if (!results.containsKey(id)) return id;
    return null;
  }

  private static JsonArray answers(List<String> calls, Map<String, JsonObject> results) {
    JsonArray blocks = new JsonArray();
    for (String id : calls) {
      JsonObject r = results.get(id);
      if (r == null) throw new TranslationException("tool call " + id + " has no tool message answering it");
      blocks.add(r);
    }
    return blocks;
  }

  private static void append(JsonArray messages, String role, JsonArray blocks) {
    if (blocks.isEmpty()) return;
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (last != null && role.equals(last.getString("role"))) last.getJsonArray("content").addAll(blocks);
    else messages.add(new JsonObject().put("role", role).put("content", blocks));
  }

  private static void dropTrailingToolUse(JsonArray messages) {
    JsonObject last = messages.getJsonObject(messages.size() - 1);
    JsonArray kept = new JsonArray();
    for (Object b : last.getJsonArray("content")) if (!"tool_use".equals(((JsonObject) b).getValue("type"))) kept.add(b);
    if (kept.isEmpty()) messages.remove(messages.size() - 1);
    else last.put("content", kept);
  }

  /** With thinking on, an assistant turn that called tools must open with its thinking block. */
  private static boolean readyForThinking(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonObject m = messages.getJsonObject(i);
      if (!"assistant".equals(m.getValue("role"))) continue;
      JsonArray content = m.getJsonArray("content");
      boolean usesTools = false;
      for (Object b : content) usesTools |= "tool_use".equals(((JsonObject) b).getValue("type"));
      Object first = content.getJsonObject(0).getValue("type");
      return !usesTools || "thinking".equals(first) || "redacted_thinking".equals(first);
    }
    return true;
  }
}
