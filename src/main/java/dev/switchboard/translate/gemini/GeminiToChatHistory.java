package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini {@code systemInstruction} and {@code contents} as Chat messages. Same-role neighbours are
 * merged first, so each model turn is one assistant message; the function responses of the user
 * turn after it become {@code tool} messages directly after it, in call order, and the rest of
 * that user turn follows as a user message (P11). Calls without an id get
 * {@code call_<turn>_<n>}; a response finds its call by id, else by name among the unanswered
 * calls (P12). Thoughts and thought signatures stay behind: they are Gemini's own (P19, P20).
 */
final class GeminiToChatHistory {

  private record Turn(String role, List<JsonObject> parts) {}

  private static final class Call {
    final String id;
    final String name;
    String answer;

    Call(String id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  private final JsonArray out = new JsonArray();
  private List<Call> pending = List.of();
  private int pendingAt = -1; // index in out of the assistant message whose calls are pending

  private GeminiToChatHistory() {}

  static JsonArray map(JsonObject request) {
    GeminiToChatHistory h = new GeminiToChatHistory();
    h.system(GeminiJson.field(request, "systemInstruction", "system_instruction"));
    if (!(request.getValue("contents") instanceof JsonArray contents) || contents.isEmpty()) {
      throw new TranslationException("'contents' is required and must be a non-empty array");
    }
    List<Turn> turns = merge(contents);
    for (int t = 0; t < turns.size(); t++) {
      Turn turn = turns.get(t);
      if (turn.role.equals("model")) h.model(turn.parts, t);
      else h.user(turn.parts);
    }
    h.dropUnansweredCalls();
    if (h.out.isEmpty() || h.out.stream().allMatch(m -> "system".equals(((JsonObject) m).getValue("role")))) {
      throw new TranslationException("'contents' must hold at least one part with content");
    }
    return h.out;
  }

  private static List<Turn> merge(JsonArray contents) {
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      if (!(contents.getValue(i) instanceof JsonObject content)) throw new TranslationException("'contents[" + i + "]' must be an object");
      Object r = content.getValue("role");
      String role = r == null || "user".equals(r) || "function".equals(r) ? "user" : "model".equals(r) ? "model" : null;
      if (role == null) throw new TranslationException("'contents[" + i + "].role' must be user or model");
      Object parts = content.getValue("parts");
      if (!(parts instanceof JsonArray list)) throw new TranslationException("'contents[" + i + "].parts' must be an array");
      List<JsonObject> objects = new ArrayList<>();
      for (int p = 0; p < list.size(); p++) {
        if (!(list.getValue(p) instanceof JsonObject part)) throw new TranslationException("'contents[" + i + "].parts[" + p + "]' must be an object");
        objects.add(part);
      }
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      if (last != null && last.role.equals(role)) last.parts.addAll(objects);
      else turns.add(new Turn(role, objects));
    }
    return turns;
  }

  private void system(Object instruction) {
    if (instruction == null) return;
    StringBuilder text = new StringBuilder();
    if (instruction instanceof String s) {
      text.append(s);
    } else if (instruction instanceof JsonObject content && content.getValue("parts") instanceof JsonArray parts) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String t && !t.isBlank()) {
          if (text.length() > 0) text.append("\n\n");
          text.append(t);
        }
      }
    } else {
      throw new TranslationException("'systemInstruction' must be a content with parts");
    }
    if (!text.toString().isBlank()) out.add(new JsonObject().put("role", "system").put("content", text.toString()));
  }

  private void model(List<JsonObject> parts, int turn) {
    dropUnansweredCalls();
    StringBuilder text = new StringBuilder();
    JsonArray calls = new JsonArray();
    List<Call> made = new ArrayList<>();
    for (JsonObject part : parts) {
      if (GeminiJson.field(part, "functionCall", "function_call") instanceof JsonObject call) {
        if (!(call.getValue("name") instanceof String name) || name.isEmpty()) throw new TranslationException("each functionCall needs a 'name'");
        String id = call.getValue("id") instanceof String s && !s.isEmpty() ? s : "call_" + turn + "_" + made.size();
        Object args = call.getValue("args");
        calls.add(new JsonObject().put("id", id).put("type", "function").put("function", new JsonObject()
            .put("name", name).put("arguments", args instanceof JsonObject o ? o.encode() : "{}")));
        made.add(new Call(id, name));
      } else if (part.getValue("text") instanceof String t && !Boolean.TRUE.equals(part.getValue("thought"))) {
        text.append(t);
      }
      // thoughts, signatures, code execution and model media have no Chat form in history
    }
    if (text.length() == 0 && calls.isEmpty()) return;
    JsonObject message = new JsonObject().put("role", "assistant").put("content", text.length() == 0 ? null : text.toString());
    if (!calls.isEmpty()) message.put("tool_calls", calls);
    out.add(message);
    pending = made;
    pendingAt = made.isEmpty() ? -1 : out.size() - 1;
  }

  private void user(List<JsonObject> parts) {
    JsonArray content = new JsonArray();
    boolean answered = false;
    for (JsonObject part : parts) {
      if (GeminiJson.field(part, "functionResponse", "function_response") instanceof JsonObject response) {
        answer(response);
        answered = true;
      } else {
        GeminiToChatParts.user(part, content);
      }
    }
    if (answered || !pending.isEmpty()) {
      for (Call call : pending) {
        if (call.answer == null) {
          throw new TranslationException("function call " + call.name + " has no functionResponse in the turn after it");
        }
        out.add(new JsonObject().put("role", "tool").put("tool_call_id", call.id).put("content", call.answer));
      }
      pending = List.of();
      pendingAt = -1;
    }
    if (content.size() == 1 && "text".equals(content.getJsonObject(0).getValue("type"))) {
      out.add(new JsonObject().put("role", "user").put("content", content.getJsonObject(0).getString("text")));
    } else if (!content.isEmpty()) {
      out.add(new JsonObject().put("role", "user").put("content", content));
    }
  }

  private void answer(JsonObject response) {
    Object id = response.getValue("id");
    Object name = response.getValue("name");
    Call match = null;
    for (Call c : pending) if (match == null && id instanceof String s && s.equals(c.id)) match = c;
    for (Call c : pending) if (match == null && c.answer == null && c.name.equals(name)) match = c;
    if (match == null) {
      throw new TranslationException("functionResponse " + (name instanceof String n ? n : "") + " answers no function call of the model turn before it");
    }
    match.answer = resultText(response.getValue("response"));
  }

  /** A string {@code output} is sent as it is; any other result as its JSON. */
  private static String resultText(Object response) {
    if (response instanceof JsonObject r && r.size() == 1 && r.getValue("output") instanceof String s) return s;
    if (response instanceof JsonObject r) return r.encode();
    return response == null ? "" : String.valueOf(response);
  }

  /** Calls nobody answered (a trailing model turn) cannot go to a Chat upstream: they are dropped. */
  private void dropUnansweredCalls() {
    if (pendingAt < 0) return;
    JsonObject message = out.getJsonObject(pendingAt);
    message.remove("tool_calls");
    if (message.getValue("content") == null) out.remove(pendingAt);
    pending = List.of();
    pendingAt = -1;
  }
}
