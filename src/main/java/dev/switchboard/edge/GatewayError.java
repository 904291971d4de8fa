package dev.switchboard.edge;

/**
 * A failure with the status and wording the client will see. Stackless: these are expected
 * outcomes of bad requests and failed upstreams, not bugs. Messages never hold secrets.
 */
public final class GatewayError extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;
  private final long retryAfterMs;

  public GatewayError(int status, String type, String code, String message, long retryAfterMs) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }

  public GatewayError(int status, String type, String code, String message) {
    this(status, type, code, message, -1);
  }

  public static GatewayError badRequest(String message) {
    return new GatewayError(400, "invalid_request_error", "invalid_request", message);
  }

  public static GatewayError unauthorized(String message) {
    return new GatewayError(401, "invalid_request_error", "invalid_api_key", message);
  }

  public static GatewayError modelNotFound(String model) {
    return new GatewayError(404, "invalid_request_error", "model_not_found",
        "The model '" + model + "' does not exist or you do not have access to it.");
  }

  public static GatewayError tooLarge(long limit) {
    return new GatewayError(413, "invalid_request_error", "request_too_large",
        "The request body is larger than the gateway's limit of " + limit + " bytes.");
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  /** How long the client should wait before retrying, or -1. */
  public long retryAfterMs() {
    return retryAfterMs;
  }
}
