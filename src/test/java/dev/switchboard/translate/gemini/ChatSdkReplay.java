package dev.switchboard.translate.gemini;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a Chat client stream the way openai-python's delta accumulator does (strings
 * concatenated, tool calls merged by index; {@code lib/streaming/_deltas.py}) and fails on what
 * it would reject or mis-assemble: anything after the terminal event, an error before the end,
 * the role twice, a tool call's id or name repeated (P2), sparse tool indexes (P5), content after
 * the finish chunk, {@code [DONE]} without a finish chunk.
 */
final class ChatSdkReplay {

  final JsonObject message = new JsonObject();
  String finishReason;
  JsonObject usage;
  JsonObject error;
  boolean done;
  private final Set<Integer> toolIndexes = new HashSet<>();
  private String id;

  static ChatSdkReplay of(List<Buffer> out) {
    ChatSdkReplay r = new ChatSdkReplay();
    JsonArray events = GeminiFixtures.dataOf(out);
    for (int i = 0; i < events.size(); i++) r.apply(events.getValue(i), i);
    check(r.done || r.error != null, "the stream did not end with [DONE] or an error");
    return r;
  }

  private void apply(Object event, int i) {
    check(!done && error == null, "event after the end: " + event);
    if ("[DONE]".equals(event)) {
      check(finishReason != null, "[DONE] without a finish chunk");
      done = true;
      return;
    }
    JsonObject c = (JsonObject) event;
    if (c.getValue("error") instanceof JsonObject e) {
      check(e.getValue("message") instanceof String && e.containsKey("type"), "error without message/type: " + c);
      error = e;
      return;
    }
    if (id == null) id = c.getString("id");
    check(id.equals(c.getString("id")), "the id changed: " + c);
    check("chat.completion.chunk".equals(c.getString("object")), "object: " + c);
    JsonArray choices = c.getJsonArray("choices");
    if (choices.isEmpty()) {
      check(finishReason != null && c.getValue("usage") instanceof JsonObject, "usage chunk before the finish chunk: " + c);
      usage = c.getJsonObject("usage");
      return;
    }
    check(finishReason == null, "content after the finish chunk: " + c);
    JsonObject choice = choices.getJsonObject(0);
    JsonObject delta = choice.getJsonObject("delta");
    check((i == 0) == delta.containsKey("role"), "role in the first chunk and only there: " + c);
    if (delta.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object o : calls) {
        JsonObject call = (JsonObject) o;
        int index = call.getInteger("index");
        boolean first = toolIndexes.add(index);
        check(first == call.containsKey("id"), "id only in the first delta of a call: " + c);
        check(first == (call.getJsonObject("function") != null && call.getJsonObject("function").containsKey("name")), "name once: " + c);
        if (first) check(index == toolIndexes.size() - 1, "dense tool indexes: " + c);
      }
    }
    accumulate(message, delta);
    if (choice.getValue("finish_reason") instanceof String f) finishReason = f;
  }

  static void accumulate(JsonObject acc, JsonObject delta) {
    for (Map.Entry<String, Object> e : delta) {
      String key = e.getKey();
      Object value = e.getValue();
      Object current = acc.getValue(key);
      if (current == null || "index".equals(key) || "type".equals(key)) {
        acc.put(key, value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value);
      } else if (current instanceof String c && value instanceof String v) {
        acc.put(key, c + v);
      } else if (current instanceof JsonObject c && value instanceof JsonObject v) {
        accumulate(c, v);
      } else if (current instanceof JsonArray c && value instanceof JsonArray v) {
        for (Object o : v) {
          JsonObject entry = (JsonObject) o;
          int index = entry.getInteger("index");
          if (index < c.size()) accumulate(c.getJsonObject(index), entry);
          else c.add(entry.copy());
        }
      }
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }
}
