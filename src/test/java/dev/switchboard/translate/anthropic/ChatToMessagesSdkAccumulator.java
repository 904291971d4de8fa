package dev.switchboard.translate.anthropic;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays client events the way the Anthropic SDK's stream accumulator does
 * ({@code lib/streaming/_messages.py}) and fails on anything it would reject or silently
 * mis-assemble: nameless events, events before {@code message_start}, sparse or reused block
 * indexes, deltas of the wrong kind, anything after the terminal event.
 */
final class ChatToMessagesSdkAccumulator {

  JsonObject message;
  JsonObject error;
  boolean stopped;
  private final List<Boolean> open = new ArrayList<>();
  private final List<StringBuilder> json = new ArrayList<>();

  /** Splits the translator output into events and applies each; returns this for chaining. */
  static ChatToMessagesSdkAccumulator replay(List<Buffer> out) {
    ChatToMessagesSdkAccumulator acc = new ChatToMessagesSdkAccumulator();
    for (Buffer b : out) acc.apply(b.toString());
    return acc;
  }

  void apply(String record) {
    check(record.endsWith("\n\n"), "record does not end with a blank line: " + record);
    String[] lines = record.substring(0, record.length() - 2).split("\n", -1);
    check(lines.length == 2 && lines[0].startsWith("event: ") && lines[1].startsWith("data: "),
        "record must be exactly one event: line and one data: line: " + record);
    String name = lines[0].substring(7);
    JsonObject data = new JsonObject(lines[1].substring(6));
    check(name.equals(data.getString("type")), "event name " + name + " differs from data.type");
    check(!stopped && error == null, "event after the stream ended: " + name);
    if (name.equals("error")) {
      check(data.getValue("error") instanceof JsonObject e && e.getValue("type") instanceof String
          && e.getValue("message") instanceof String, "error event without error.type/message");
      error = data.getJsonObject("error");
      return;
    }
    if (name.equals("ping")) return;
    if (name.equals("message_start")) {
      check(message == null, "second message_start");
      message = data.getJsonObject("message").copy();
      check(message.getValue("usage") instanceof JsonObject, "message_start without usage");
      check(message.getJsonArray("content").isEmpty(), "message_start with content");
      return;
    }
    check(message != null, "Unexpected event order: " + name + " before message_start");
    JsonArray content = message.getJsonArray("content");
    switch (name) {
      case "content_block_start" -> {
        int index = data.getInteger("index");
        check(index == content.size(), "block index " + index + " is not the next dense index " + content.size());
        JsonObject block = data.getJsonObject("content_block").copy();
        if ("text".equals(block.getValue("type"))) check("".equals(block.getValue("text")), "text block starts non-empty");
        content.add(block);
        open.add(true);
        json.add(new StringBuilder());
      }
      case "content_block_delta" -> {
        int index = data.getInteger("index");
        check(index < content.size() && open.get(index), "delta for a block that is not open: " + index);
        JsonObject block = content.getJsonObject(index);
        JsonObject delta = data.getJsonObject("delta");
        switch (delta.getString("type")) {
          case "text_delta" -> {
            check("text".equals(block.getValue("type")), "text_delta on " + block.getValue("type"));
            block.put("text", block.getString("text") + delta.getString("text"));
          }
          case "thinking_delta" -> {
            check("thinking".equals(block.getValue("type")), "thinking_delta on " + block.getValue("type"));
            block.put("thinking", block.getString("thinking") + delta.getString("thinking"));
          }
          case "input_json_delta" -> {
            check("tool_use".equals(block.getValue("type")), "input_json_delta on " + block.getValue("type"));
            json.get(index).append(delta.getString("partial_json"));
          }
          default -> check(false, "unknown delta " + delta);
        }
      }
      case "content_block_stop" -> {
        int index = data.getInteger("index");
        check(index < content.size() && open.get(index), "stop for a block that is not open: " + index);
        open.set(index, false);
        JsonObject block = content.getJsonObject(index);
        if ("text".equals(block.getValue("type"))) check(!block.getString("text").isEmpty(), "empty text block");
        if ("tool_use".equals(block.getValue("type"))) block.put("partial_json", json.get(index).toString());
      }
      case "message_delta" -> {
        check(!open.contains(true), "message_delta while a block is open");
        check(data.getJsonObject("usage").getValue("output_tokens") instanceof Number, "message_delta without output_tokens");
        message.put("stop_reason", data.getJsonObject("delta").getValue("stop_reason"));
        message.getJsonObject("usage").mergeIn(data.getJsonObject("usage"));
      }
      case "message_stop" -> {
        check(message.getValue("stop_reason") instanceof String, "message_stop without a stop_reason");
        boolean hasTool = content.stream().anyMatch(b -> "tool_use".equals(((JsonObject) b).getValue("type")));
        check(hasTool || !"tool_use".equals(message.getValue("stop_reason")), "stop_reason tool_use without a tool_use block");
        stopped = true;
      }
      default -> check(false, "unknown event " + name);
    }
  }

  /** Whether the stream ended the way the SDK accepts: message_stop or an error event. */
  boolean ended() {
    return stopped || error != null;
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }
}
