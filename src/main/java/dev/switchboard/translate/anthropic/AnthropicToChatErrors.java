package dev.switchboard.translate.anthropic;

import io.vertx.core.json.JsonObject;

/**
 * Anthropic errors ({@code {type:"error", error:{type, message}}}) in OpenAI's envelope
 * ({@code {error:{message, type, param, code}}}), the upstream message kept (P28). The error
 * type decides; the status only when the type is missing or unknown ({@code cross-protocol.md} §10).
 */
final class AnthropicToChatErrors {

  private static final int MAX_MESSAGE = 2000;

  private AnthropicToChatErrors() {}

  static JsonObject envelope(int status, JsonObject upstream) {
    JsonObject err = upstream != null && upstream.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    String type = err.getValue("type") instanceof String t ? t : typeOf(status);
    String message = err.getValue("message") instanceof String m && !m.isBlank() ? m : defaultMessage(status, type);
    return body(type, message);
  }

  /** The envelope for an Anthropic {@code error} payload, or a gateway message, inside a stream. */
  static JsonObject body(String anthropicType, String message) {
    String[] typeAndCode = switch (anthropicType == null ? "" : anthropicType) {
      case "invalid_request_error" -> new String[] {"invalid_request_error", null};
      case "authentication_error" -> new String[] {"invalid_request_error", "invalid_api_key"};
      case "billing_error" -> new String[] {"insufficient_quota", "billing_error"};
      case "permission_error" -> new String[] {"permission_error", null};
      case "not_found_error" -> new String[] {"invalid_request_error", "not_found"};
      case "request_too_large" -> new String[] {"invalid_request_error", "request_too_large"};
      case "rate_limit_error" -> new String[] {"rate_limit_error", "rate_limit_exceeded"};
      case "overloaded_error" -> new String[] {"server_error", "overloaded"};
      case "timeout_error" -> new String[] {"server_error", "timeout"};
      default -> new String[] {"server_error", null}; // api_error and anything new
    };
    String text = message == null || message.isBlank() ? "The upstream failed." : message;
    if (text.length() > MAX_MESSAGE) text = text.substring(0, MAX_MESSAGE);
    return new JsonObject().put("error", new JsonObject()
        .put("message", text)
        .put("type", typeAndCode[0])
        .putNull("param")
        .put("code", typeAndCode[1]));
  }

  private static String typeOf(int status) {
    return AnthropicErrorTypes.forStatus(status);
  }

  private static String defaultMessage(int status, String type) {
    return "The upstream failed with " + status + " (" + type + ").";
  }
}
