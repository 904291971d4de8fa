package dev.switchboard.translate.tap;

import dev.switchboard.sse.ByteScan;
import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTap;
import dev.switchboard.translate.anthropic.AnthropicToChatUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reads an Anthropic Messages stream as it passes: usage from {@code message_start} and
 * {@code message_delta} (cumulative, P7), the end at {@code message_stop}, and {@code error}
 * events. Content events are never parsed.
 */
public final class MessagesStreamTap implements StreamTap {

  private final AnthropicToChatUsage usage = new AnthropicToChatUsage();
  private boolean done;
  private String error;

  @Override
  public boolean onEvent(Buffer event) {
    String name = ByteScan.eventName(event);
    if (name == null) return true;
    switch (name) {
      case "message_start", "message_delta", "error" -> read(name, ByteScan.data(event));
      case "message_stop" -> done = true;
      default -> { }
    }
    return true;
  }

  private void read(String name, Buffer data) {
    if (data == null) return;
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (DecodeException e) {
      return;
    }
    switch (name) {
      case "message_start" -> {
        if (json.getValue("message") instanceof JsonObject m) usage.update(m.getValue("usage"));
      }
      case "message_delta" -> usage.update(json.getValue("usage"));
      default -> error = json.getValue("error") instanceof JsonObject e
          ? String.valueOf(e.getValue("message", "upstream error")) : "upstream error";
    }
  }

  @Override
  public Usage usage() {
    return usage.seen() ? usage.toUsage() : null;
  }

  @Override
  public boolean done() {
    return done;
  }

  @Override
  public String error() {
    return error;
  }
}
