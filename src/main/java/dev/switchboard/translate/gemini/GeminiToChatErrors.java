package dev.switchboard.translate.gemini;

import io.vertx.core.json.JsonObject;

/**
 * OpenAI error envelopes ({@code {error:{message, type, code}}}) re-wrapped as Gemini's
 * {@code {error:{code, message, status}}}, keeping the upstream's message (P28). The HTTP status
 * decides the rpc status ({@code gemini.md} §7); inside a stream, where there is no status, the
 * error's own code or type does.
 */
final class GeminiToChatErrors {

  private static final int MAX_MESSAGE = 2000;

  private GeminiToChatErrors() {}

  static JsonObject body(int status, JsonObject upstream) {
    int code = clientStatus(status);
    String message = message(upstream, "The upstream failed with " + status + ".");
    return envelope(code, message);
  }

  /** The status a Gemini client should see: 529 is Anthropic's, Gemini says 503 for overload. */
  static int clientStatus(int upstreamStatus) {
    return upstreamStatus == 529 ? 503 : upstreamStatus;
  }

  /** The HTTP status an error object met inside a 200 stream stands for. */
  static int streamStatus(JsonObject error) {
    for (String key : new String[] {"status", "code"}) {
      if (error.getValue(key) instanceof Number n && n.intValue() >= 400 && n.intValue() < 600) return n.intValue();
    }
    String hint = (error.getValue("type") + " " + error.getValue("code")).toLowerCase();
    if (hint.contains("rate_limit") || hint.contains("insufficient_quota")) return 429;
    if (hint.contains("overload") || hint.contains("unavailable")) return 503;
    if (hint.contains("timeout")) return 504;
    if (hint.contains("invalid_request") || hint.contains("context_length")) return 400;
    return 500;
  }

  static JsonObject envelope(int code, String message) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("status", GeminiTables.rpcStatus(code)));
  }

  /** The upstream's own message, short and on one line, or {@code fallback}. */
  static String message(JsonObject upstream, String fallback) {
    Object text = null;
    if (upstream != null) {
      Object error = upstream.getValue("error");
      if (error instanceof JsonObject e) text = e.getValue("message");
      else if (error instanceof String s) text = s;
      else text = upstream.getValue("message");
    }
    if (!(text instanceof String s) || s.isBlank()) return fallback;
    StringBuilder clean = new StringBuilder(Math.min(s.length(), MAX_MESSAGE));
    for (int i = 0; i < s.length() && clean.length() < MAX_MESSAGE; i++) {
      char c = s.charAt(i);
      clean.append(Character.isISOControl(c) ? ' ' : c);
    }
    return clean.toString().strip();
  }
}
