package dev.switchboard.testing;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Splits an SSE body into its events, for tests. */
public final class Sse {

  private Sse() {}

  /** One server-sent event: its {@code event:} name (null when absent) and its data. */
  public record Event(String name, String data) {

    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  /**
   * Events in order, with or without {@code event:} lines; accepts LF and CRLF line ends.
   * Fails on a line that is neither {@code event: } nor {@code data: }.
   */
  public static List<Event> events(String body) {
    List<Event> out = new ArrayList<>();
    for (String block : body.replace("\r\n", "\n").split("\n\n", -1)) {
      if (block.isEmpty()) {
        continue;
      }
      String name = null;
      StringBuilder data = null;
      for (String line : block.split("\n", -1)) {
        if (line.startsWith("event: ")) {
          name = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring("data: ".length()));
        } else {
          throw new AssertionError("not an event or data line: " + line);
        }
      }
      out.add(new Event(name, data == null ? null : data.toString()));
    }
    return out;
  }

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
