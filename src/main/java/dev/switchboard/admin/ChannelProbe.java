package dev.switchboard.admin;

import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tests a channel the way the gateway would use it: one tiny, non-streaming generation request
 * ("ping", one output token where the protocol allows) for one of its models, with one of its
 * credentials, at its first base URL, in its upstream type's protocol and auth. Reports status,
 * latency and a short message; never the credential, not even when the upstream echoes it.
 */
final class ChannelProbe {

  static final int MAX_MESSAGE = 300;

  /** What one probe found. {@code status} 0: no HTTP answer (connect error, timeout). */
  record Result(boolean ok, int status, long latencyMs, String message) {}

  private final AdminUpstream upstream;

  ChannelProbe(AdminUpstream upstream) {
    this.upstream = upstream;
  }

  /** The smallest generation request of the type's protocol. */
  static JsonObject body(UpstreamType type, String upstreamModel) {
    JsonArray ping = new JsonArray().add(new JsonObject().put("role", "user").put("content", "ping"));
    return switch (type) {
      case OPENAI, AZURE_OPENAI -> new JsonObject().put("model", upstreamModel).put("messages", ping).put("max_tokens", 1);
      case OPENAI_RESPONSES -> new JsonObject().put("model", upstreamModel).put("input", "ping").put("max_output_tokens", 16);
      case ANTHROPIC -> new JsonObject().put("model", upstreamModel).put("messages", ping).put("max_tokens", 1);
      case GEMINI -> new JsonObject()
          .put("contents", new JsonArray().add(new JsonObject().put("role", "user")
              .put("parts", new JsonArray().add(new JsonObject().put("text", "ping")))))
          .put("generationConfig", new JsonObject().put("maxOutputTokens", 1));
    };
  }

  Future<Result> probe(Channel channel, Credential credential, String upstreamModel) {
    UpstreamType type = UpstreamType.of(channel.type());
    String base = channel.baseUrls().isEmpty() ? type.defaultBaseUrl() : channel.baseUrls().get(0);
    String url = base == null ? null : type.url(base, UpstreamType.Operation.GENERATE, upstreamModel, false);
    if (url == null) {
      return Future.succeededFuture(new Result(false, 0, 0, "the channel has no base URL to probe"));
    }
    String secret = credential == null ? null : credential.secret();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().set(HttpHeaders.CONTENT_TYPE, "application/json");
    type.authorize(headers, secret);
    long started = System.nanoTime();
    Future<HttpClientRequest> request;
    try {
      request = upstream.request(HttpMethod.POST, url, headers);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(new Result(false, 0, 0, "the base URL is not a valid URL"));
    }
    return request
        .compose(req -> req.send(body(type, upstreamModel).toBuffer()).compose(resp -> resp.body().map(b -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          int status = resp.statusCode();
          boolean ok = status >= 200 && status < 300;
          String message = ok ? "the upstream answered " + status
              : "the upstream refused with " + status + ": " + clean(upstreamMessage(b.toString()), secret);
          return new Result(ok, status, ms, shorten(message));
        })))
        .recover(err -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          String why = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
          return Future.succeededFuture(new Result(false, 0, ms, shorten("no answer: " + clean(why, secret))));
        });
  }

  /** The error message of the usual envelopes ({@code error.message}, {@code error}, {@code message}), else the text. */
  static String upstreamMessage(String text) {
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonArray a && !a.isEmpty() && a.getValue(0) instanceof JsonObject first) parsed = first; // Gemini
      if (parsed instanceof JsonObject o) {
        Object error = o.getValue("error");
        if (error instanceof JsonObject e && e.getValue("message") instanceof String m) return m;
        if (error instanceof String s) return s;
        if (o.getValue("message") instanceof String m) return m;
      }
    } catch (DecodeException e) {
      // not JSON: the text itself
    }
    return text.isBlank() ? "(empty body)" : text;
  }

  /** What the upstream said, without the secret or any long piece of it. */
  static String clean(String message, String secret) {
    String s = message.length() > 4_000 ? message.substring(0, 4_000) : message;
    if (secret != null && secret.length() >= 4) {
      s = s.replace(secret, ChannelRoutes.mask(secret));
      // upstreams echo a key shortened, e.g. "sk-abc***wxyz": hide any long piece of it
      for (int len = Math.min(secret.length() - 1, 24); len >= 8; len--) {
        for (int i = 0; i + len <= secret.length(); i++) {
          String piece = secret.substring(i, i + len);
          if (s.contains(piece)) s = s.replace(piece, "****");
        }
      }
    }
    return s;
  }

  /** Without control characters, and short. */
  static String shorten(String message) {
    String s = message.replaceAll("\\p{Cntrl}+", " ").trim();
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "…" : s;
  }
}
