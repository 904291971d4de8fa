package dev.switchboard.admin;

import io.vertx.core.json.JsonObject;

/**
 * An expected failure of a management call, turned into {@code {"error":{"code","message","fields"}}}
 * by the dispatcher. Codes are stable; messages are for people and never carry secrets.
 * Stackless: it is control flow, not a bug.
 */
final class ApiError extends RuntimeException {

  final int status;
  final String code;
  final JsonObject fields;
  final long retryAfterSeconds;

  private ApiError(int status, String code, String message, JsonObject fields, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static ApiError of(int status, String code, String message) {
    return new ApiError(status, code, message, null, 0);
  }

  /** 400 with one message per offending field. */
  static ApiError invalid(JsonObject fields) {
    return new ApiError(400, "validation_failed", "Some fields are invalid.", fields, 0);
  }

  static ApiError invalid(String field, String message) {
    return invalid(new JsonObject().put(field, message));
  }

  static ApiError unauthorized(String message) {
    return of(401, "unauthorized", message);
  }

  static ApiError forbidden(String message) {
    return of(403, "forbidden", message);
  }

  static ApiError notFound(String what) {
    return of(404, "not_found", what + " not found.");
  }

  static ApiError conflict(String field, String message) {
    return new ApiError(409, "conflict", message, field == null ? null : new JsonObject().put(field, message), 0);
  }

  /** A resource declared in the configuration file, which the API does not change. */
  static ApiError readOnly(String what) {
    return of(409, "read_only", what + " is declared in the configuration file; change it there.");
  }

  static ApiError tooManyAttempts(long retryAfterSeconds) {
    return new ApiError(429, "too_many_attempts", "Too many failed logins; try again later.", null, retryAfterSeconds);
  }

  JsonObject body() {
    JsonObject error = new JsonObject().put("code", code).put("message", getMessage());
    if (fields != null) error.put("fields", fields);
    return new JsonObject().put("error", error);
  }
}
