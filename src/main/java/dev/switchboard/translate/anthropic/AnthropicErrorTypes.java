package dev.switchboard.translate.anthropic;

/** Anthropic's {@code error.type} for an HTTP status, shared by both directions. */
public final class AnthropicErrorTypes {

  private AnthropicErrorTypes() {}

  public static String forStatus(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
    };
  }
}
