package dev.switchboard.translate.anthropic;

import io.vertx.core.json.JsonObject;

/**
 * OpenAI error envelopes ({@code {"error":{message,type,code}}}) re-wrapped as Anthropic's
 * {@code {"type":"error","error":{type,message}}}, keeping the upstream's message (pitfall P28).
 */
final class ChatToMessagesErrors {

  private static final int MAX_MESSAGE = 500;

  private ChatToMessagesErrors() {}

  /** The body for an upstream HTTP error; the type comes from the status (§10). */
  static JsonObject body(int status, JsonObject upstream) {
    String type = ChatToMessagesMapping.errorType(status);
    JsonObject error = upstream == null ? null : upstream.getValue("error") instanceof JsonObject e ? e : null;
    // a 429 for an empty balance is not worth retrying: Anthropic calls that billing
    if (status == 429 && error != null && ("insufficient_quota".equals(error.getValue("type"))
        || "insufficient_quota".equals(error.getValue("code")))) {
      type = "billing_error";
    }
    return ChatToMessagesMapping.errorBody(type, message(upstream, defaultMessage(type)));
  }

  /** The type of an error object sent inside a 200 stream, where no status tells it. */
  static String streamType(JsonObject error) {
    if (error.getValue("status") instanceof Number n) return ChatToMessagesMapping.errorType(n.intValue());
    if (error.getValue("code") instanceof Number n) return ChatToMessagesMapping.errorType(n.intValue());
    String hint = (String.valueOf(error.getValue("type")) + " " + String.valueOf(error.getValue("code"))).toLowerCase();
    if (hint.contains("overload") || hint.contains("unavailable")) return "overloaded_error";
    if (hint.contains("rate_limit")) return "rate_limit_error";
    if (hint.contains("insufficient_quota")) return "billing_error";
    if (hint.contains("timeout")) return "timeout_error";
    if (hint.contains("invalid_request") || hint.contains("context_length")) return "invalid_request_error";
    return "api_error";
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

  private static String defaultMessage(String type) {
    return switch (type) {
      case "authentication_error" -> "upstream rejected the credentials";
      case "rate_limit_error" -> "upstream rate limit reached";
      case "overloaded_error" -> "upstream overloaded";
      case "timeout_error" -> "upstream timed out";
      case "not_found_error" -> "upstream resource not found";
      default -> "upstream error";
    };
  }
}
