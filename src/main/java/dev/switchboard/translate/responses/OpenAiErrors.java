package dev.switchboard.translate.responses;

import io.vertx.core.json.JsonObject;

/**
 * OpenAI's error envelope ({@code {"error":{message, type, param, code}}}), shared by Chat and
 * Responses: an upstream error body of either protocol is re-wrapped with its own message kept
 * (P28), the type taken from the body or else from the status ({@code cross-protocol.md} §10).
 */
final class OpenAiErrors {

  private static final int MAX_MESSAGE = 2000;

  private OpenAiErrors() {}

  static JsonObject envelope(int status, JsonObject upstream) {
    Object error = upstream == null ? null : upstream.getValue("error");
    JsonObject e = error instanceof JsonObject o ? o : new JsonObject();
    String message = error instanceof String s ? s : e.getValue("message") instanceof String m ? m
        : upstream != null && upstream.getValue("message") instanceof String m2 ? m2 : null;
    // an Anthropic-shaped body ({type:"error", error:{type}}) names types OpenAI clients do not know
    boolean foreign = upstream != null && "error".equals(upstream.getValue("type"));
    String type = !foreign && e.getValue("type") instanceof String t && !t.isBlank() ? t : typeFor(status);
    Object code = e.getValue("code") instanceof String || e.getValue("code") instanceof Number ? e.getValue("code") : codeFor(status);
    Object param = e.getValue("param") instanceof String p ? p : null;
    return body(message == null || message.isBlank() ? "The upstream failed with status " + status + "." : message, type, code, param);
  }

  static JsonObject body(String message, String type, Object code, Object param) {
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    return new JsonObject().put("error", new JsonObject()
        .put("message", text).put("type", type).put("param", param).put("code", code));
  }

  static String typeFor(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "server_error";
    };
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 404 -> "not_found";
      case 429 -> "rate_limit_exceeded";
      case 503, 529 -> "overloaded";
      case 504 -> "timeout";
      default -> null;
    };
  }

  /** The status an OpenAI client should see: Anthropic's 529 is not an OpenAI status (P26). */
  static int clientStatus(int upstreamStatus) {
    return upstreamStatus == 529 ? 503 : upstreamStatus;
  }
}
