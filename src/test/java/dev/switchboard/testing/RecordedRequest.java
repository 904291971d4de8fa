package dev.switchboard.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One request as {@link MockUpstream} received it. {@code headers} is a copy; {@code query} is
 * the raw query string or null; {@code body} is null when the request body was not a JSON
 * object; {@code protocol} is the protocol of the route it hit.
 */
public record RecordedRequest(String method, String path, String query, MultiMap headers,
    JsonObject body, Protocol protocol) {

  /** Shortcut for {@code headers().get(name)}, case-insensitive. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The first value of query parameter {@code name}, decoded, or null. */
  public String queryParam(String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** The Gemini model or the Azure deployment named in the path; null on other routes. */
  public String pathModel() {
    Route route = Route.match(HttpMethod.valueOf(method), path, false);
    return route == null ? null : route.pathModel();
  }

  /** True when the request asked for a stream: {@code "stream": true}, or Gemini's stream path. */
  public boolean streamed() {
    return body != null && Boolean.TRUE.equals(body.getValue("stream"))
        || path.endsWith(":streamGenerateContent");
  }
}
