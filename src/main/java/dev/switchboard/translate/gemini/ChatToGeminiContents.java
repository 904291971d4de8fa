package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat {@code messages} as Gemini {@code systemInstruction} parts and {@code contents}. System and
 * developer messages are hoisted in order (P14). The tool messages answering one assistant turn
 * become one user content with a {@code functionResponse} per call, in call order, named after
 * the call they answer as the assistant turn in the same history says (stateless; P11).
 * Same-role neighbours are merged.
 */
final class ChatToGeminiContents {

  /** Gemini's accepted stand-in when a function call's own thought signature is not known (P20). */
  static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

  record Result(JsonArray system, JsonArray contents) {}

  private record Call(String chatId, String name, JsonObject part) {}

  private final JsonArray system = new JsonArray();
  private final JsonArray contents = new JsonArray();
  private List<Call> calls; // the last assistant turn's calls, until answered
  private final Map<String, JsonObject> answers = new HashMap<>();

  private ChatToGeminiContents() {}

  static Result map(Object value) {
    if (!(value instanceof JsonArray list) || list.isEmpty()) throw new TranslationException("'messages' must be a non-empty array");
    ChatToGeminiContents c = new ChatToGeminiContents();
    for (int i = 0; i < list.size(); i++) c.message(list.getValue(i), i);
    if (c.calls != null && c.answers.isEmpty()) c.dropTrailingCalls(); // nothing answers them yet: Gemini would refuse them
    else c.flushAnswers();
    if (c.contents.isEmpty()) throw new TranslationException("'messages' must contain a user or assistant message with content");
    return new Result(c.system, c.contents);
  }

  private void message(Object value, int i) {
    String where = "messages[" + i + "]";
    if (!(value instanceof JsonObject m)) throw new TranslationException("'" + where + "' must be an object");
    Object role = m.getValue("role");
    if ("system".equals(role) || "developer".equals(role)) {
      ChatToGeminiParts.text(m.getValue("content"), system, where);
      return;
    }
    if ("tool".equals(role)) {
      tool(m, where);
      return;
    }
    flushAnswers();
    JsonArray parts = new JsonArray();
    if ("user".equals(role)) {
      ChatToGeminiParts.rich(m.getValue("content"), parts, where);
      append("user", parts);
    } else if ("assistant".equals(role)) {
      ChatToGeminiParts.text(m.getValue("content"), parts, where);
      List<Call> made = toolCalls(m.getValue("tool_calls"), where);
      made.forEach(c -> parts.add(c.part));
      append("model", parts);
      if (!made.isEmpty()) {
        calls = made;
        answers.clear();
      }
    } else {
      throw new TranslationException("'" + where + ".role' must be system, developer, user, assistant or tool");
    }
  }

  private List<Call> toolCalls(Object value, String where) {
    List<Call> made = new ArrayList<>();
    if (value == null) return made;
    if (!(value instanceof JsonArray list)) throw new TranslationException("'" + where + ".tool_calls' must be an array");
    boolean signed = false;
    for (int k = 0; k < list.size(); k++) {
      String at = where + ".tool_calls[" + k + "]";
      if (!(list.getValue(k) instanceof JsonObject call) || !"function".equals(call.getValue("type", "function"))) {
        throw new TranslationException("'" + at + "' must be a function call");
      }
      if (!(call.getValue("function") instanceof JsonObject f) || !(f.getValue("name") instanceof String name) || name.isBlank()) {
        throw new TranslationException("'" + at + ".function.name' is required");
      }
      String chatId = call.getValue("id") instanceof String s && !s.isEmpty() ? s : null;
      JsonObject functionCall = new JsonObject().put("name", name).put("args", args(f.getValue("arguments")));
      String geminiId = GeminiIds.geminiId(chatId);
      if (geminiId != null) functionCall.put("id", geminiId);
      JsonObject part = new JsonObject().put("functionCall", functionCall);
      String signature = signature(call);
      if (signature != null) {
        part.put("thoughtSignature", signature);
        signed = true;
      }
      made.add(new Call(chatId, name, part));
    }
    // Gemini 3 refuses an unsigned call turn; only the first of parallel calls carries one (P20)
    if (!made.isEmpty() && !signed) made.get(0).part.put("thoughtSignature", SKIP_SIGNATURE);
    return made;
  }

  /** The signature Google's OpenAI-compatible endpoint puts on a tool call, echoed by the client. */
  private static String signature(JsonObject call) {
    if (call.getValue("extra_content") instanceof JsonObject extra && extra.getValue("google") instanceof JsonObject google
        && google.getValue("thought_signature") instanceof String sig && !sig.isBlank()) {
      return sig;
    }
    return null;
  }

  /** Arguments are a JSON string in Chat and an object in Gemini; anything else becomes {} (P6). */
  static JsonObject args(Object arguments) {
    if (arguments instanceof JsonObject o) return o.copy();
    if (arguments instanceof String s && !s.isBlank()) {
      try {
        if (Json.decodeValue(s) instanceof JsonObject o) return o;
      } catch (DecodeException invalid) {
        // cut off by the output cap, or never JSON: Gemini needs an object
      }
    }
    return new JsonObject();
  }

  private void tool(JsonObject m, String where) {
    if (calls == null) throw new TranslationException("'" + where + "' does not follow an assistant message with tool_calls");
    Call call = null;
    if (m.getValue("tool_call_id") instanceof String id && !id.isEmpty()) {
      for (Call c : calls) if (id.equals(c.chatId)) call = c;
    } else {
      for (Call c : calls) if (call == null && !answers.containsKey(key(c))) call = c;
    }
    if (call == null) {
      throw new TranslationException("'" + where + ".tool_call_id' does not match a tool call of the assistant message before it");
    }
    JsonObject response = new JsonObject().put("name", call.name).put("response", response(m.getValue("content"), where));
    Object geminiId = call.part.getJsonObject("functionCall").getValue("id");
    if (geminiId != null) response.put("id", geminiId);
    answers.put(key(call), new JsonObject().put("functionResponse", response)); // a repeated answer replaces the earlier one
  }

  private String key(Call c) {
    return c.chatId != null ? c.chatId : "#" + calls.indexOf(c);
  }

  /** A JSON object result is sent as it is; anything else under {@code output}, as the SDK advises. */
  private static JsonObject response(Object content, String where) {
    String text = ChatToGeminiParts.joined(content, where);
    String trimmed = text.strip();
    if (trimmed.startsWith("{")) {
      try {
        if (Json.decodeValue(trimmed) instanceof JsonObject o) return o;
      } catch (DecodeException notJson) {
        // plain text that happens to start with a brace
      }
    }
    return new JsonObject().put("output", text);
  }

  private void flushAnswers() {
    if (calls == null) return;
    JsonArray parts = new JsonArray();
    for (Call c : calls) {
      JsonObject answer = answers.get(key(c));
      if (answer == null) throw new TranslationException("tool call " + (c.chatId != null ? c.chatId : c.name) + " has no tool message answering it");
      parts.add(answer);
    }
    calls = null;
    answers.clear();
    append("user", parts);
  }

  private void append(String role, JsonArray parts) {
    if (parts.isEmpty()) return;
    JsonObject last = contents.isEmpty() ? null : contents.getJsonObject(contents.size() - 1);
    if (last != null && role.equals(last.getString("role"))) last.getJsonArray("parts").addAll(parts);
    else contents.add(new JsonObject().put("role", role).put("parts", parts));
  }

  private void dropTrailingCalls() {
    JsonObject last = contents.getJsonObject(contents.size() - 1);
    JsonArray kept = new JsonArray();
    for (Object p : last.getJsonArray("parts")) if (!((JsonObject) p).containsKey("functionCall")) kept.add(p);
    if (kept.isEmpty()) contents.remove(contents.size() - 1);
    else last.put("parts", kept);
    calls = null;
  }
}
