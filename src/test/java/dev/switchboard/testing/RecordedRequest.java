package dev.switchboard.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/**
 * One chat request as {@link MockUpstream} received it. {@code headers} is a copy;
 * {@code body} is null when the request body was not a JSON object.
 */
public record RecordedRequest(String method, String path, MultiMap headers, JsonObject body) {

  /** Shortcut for {@code headers().get(name)}, case-insensitive. */
  public String header(String name) {
    return headers.get(name);
  }

  /** True when the body asked for a stream. */
  public boolean streamed() {
    return body != null && Boolean.TRUE.equals(body.getValue("stream"));
  }
}
