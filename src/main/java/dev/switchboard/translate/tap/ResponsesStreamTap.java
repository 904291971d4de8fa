package dev.switchboard.translate.tap;

import dev.switchboard.sse.ByteScan;
import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reads an OpenAI Responses stream as it passes: the answer ends with {@code response.completed}
 * or {@code response.incomplete} (usage inside the response object); {@code response.failed}
 * and {@code error} are errors. Delta events are never parsed.
 */
public final class ResponsesStreamTap implements StreamTap {

  private Usage usage;
  private boolean done;
  private String error;

  @Override
  public boolean onEvent(Buffer event) {
    String name = ByteScan.eventName(event);
    if (name == null) return true;
    switch (name) {
      case "response.completed", "response.incomplete", "response.failed", "error" -> read(name, ByteScan.data(event));
      default -> { }
    }
    return true;
  }

  private void read(String name, Buffer data) {
    JsonObject json;
    try {
      json = data == null ? new JsonObject() : new JsonObject(data);
    } catch (DecodeException e) {
      json = new JsonObject();
    }
    JsonObject response = json.getValue("response") instanceof JsonObject r ? r : new JsonObject();
    if (response.getValue("usage") instanceof JsonObject u) usage = Usages.responses(u);
    switch (name) {
      case "response.completed", "response.incomplete" -> done = true;
      case "response.failed" -> error = response.getValue("error") instanceof JsonObject e
          ? String.valueOf(e.getValue("message", "upstream error")) : "upstream error";
      default -> error = String.valueOf(json.getValue("message", "upstream error"));
    }
  }

  @Override
  public Usage usage() {
    return usage;
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
