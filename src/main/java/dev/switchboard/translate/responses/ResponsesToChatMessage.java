package dev.switchboard.translate.responses;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One streamed message item and its content parts: output_text and refusal parts, each opened
 * with {@code content_part.added} at the next content index and closed with its
 * {@code .done} events before the next one opens (content indexes dense, in order).
 */
final class ResponsesToChatMessage {

  private final String id;
  private final int index;
  private final ResponsesEvents events;
  private final JsonArray content = new JsonArray();
  private final StringBuilder text = new StringBuilder();
  private Boolean refusal; // kind of the open part, null when none is open

  ResponsesToChatMessage(String id, int index, ResponsesEvents events) {
    this.id = id;
    this.index = index;
    this.events = events;
  }

  int index() {
    return index;
  }

  void delta(boolean isRefusal, String fragment, List<Buffer> out) {
    if (refusal == null || refusal != isRefusal) {
      closePart(out);
      refusal = isRefusal;
      out.add(events.event("response.content_part.added", at().put("part", part(""))));
    }
    text.append(fragment);
    JsonObject delta = at().put("delta", fragment);
    if (!isRefusal) delta.put("logprobs", new JsonArray());
    out.add(events.event(isRefusal ? "response.refusal.delta" : "response.output_text.delta", delta));
  }

  /** Closes the open part and returns the finished item for {@code output_item.done}. */
  JsonObject close(List<Buffer> out) {
    closePart(out);
    return ResponsesObjects.message(id, "completed", content.copy());
  }

  private void closePart(List<Buffer> out) {
    if (refusal == null) return;
    String whole = text.toString();
    JsonObject done = refusal ? at().put("refusal", whole) : at().put("text", whole).put("logprobs", new JsonArray());
    out.add(events.event(refusal ? "response.refusal.done" : "response.output_text.done", done));
    JsonObject part = part(whole);
    out.add(events.event("response.content_part.done", at().put("part", part)));
    content.add(part);
    text.setLength(0);
    refusal = null;
  }

  private JsonObject part(String value) {
    return refusal ? ResponsesObjects.refusal(value) : ResponsesObjects.outputText(value);
  }

  private JsonObject at() {
    return ResponsesEvents.at(id, index).put("content_index", content.size());
  }
}
