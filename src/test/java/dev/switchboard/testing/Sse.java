package dev.switchboard.testing;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Splits an OpenAI-style SSE body into the payloads of its {@code data:} events, for tests. */
public final class Sse {

  private Sse() {}

  /** Payloads in order; fails if an event is not a single {@code data: } line. */
  public static List<String> payloads(String body) {
    List<String> out = new ArrayList<>();
    for (String event : body.split("\n\n", -1)) {
      if (event.isEmpty()) {
        continue;
      }
      if (!event.startsWith("data: ") || event.indexOf('\n') >= 0) {
        throw new AssertionError("not a single data line: " + event);
      }
      out.add(event.substring("data: ".length()));
    }
    return out;
  }

  /** Payloads parsed as JSON, without the final {@code [DONE]}, which must be present. */
  public static List<JsonObject> chunks(String body) {
    List<String> payloads = payloads(body);
    if (payloads.isEmpty() || !"[DONE]".equals(payloads.get(payloads.size() - 1))) {
      throw new AssertionError("stream does not end with [DONE]: " + body);
    }
    List<JsonObject> out = new ArrayList<>();
    for (String payload : payloads.subList(0, payloads.size() - 1)) {
      out.add(new JsonObject(payload));
    }
    return out;
  }
}
