package dev.switchboard.admin;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Field-level validation of query parameters, like {@link Fields} for bodies: every problem is
 * collected under its parameter name and {@link #check()} throws one 400 listing them all. A
 * getter returns null (or the default) when the parameter is absent or invalid.
 */
final class Queries {

  private final Call call;
  private final JsonObject errors = new JsonObject();

  Queries(Call call) {
    this.call = call;
  }

  void error(String name, String message) {
    if (!errors.containsKey(name)) errors.put(name, message);
  }

  boolean valid(String name) {
    return !errors.containsKey(name);
  }

  void check() {
    if (!errors.isEmpty()) throw ApiError.invalid(errors);
  }

  /** Text of at most {@code max} characters without control characters. */
  String text(String name, boolean required, int max) {
    String raw = call.query(name);
    if (raw == null || raw.isEmpty()) {
      if (required) error(name, "is required");
      return null;
    }
    if (raw.length() > max) {
      error(name, "must be at most " + max + " characters");
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      if (Character.isISOControl(raw.charAt(i))) {
        error(name, "must not contain control characters");
        return null;
      }
    }
    return raw;
  }

  /** A positive id. */
  Long id(String name) {
    String raw = call.query(name);
    if (raw == null || raw.isEmpty()) return null;
    try {
      long id = Long.parseLong(raw.trim());
      if (id > 0) return id;
    } catch (NumberFormatException e) {
      // fall through
    }
    error(name, "must be a positive whole number (an id)");
    return null;
  }

  /** An instant as ISO-8601 text or epoch milliseconds; {@code dflt} when absent. */
  long instant(String name, long dflt) {
    String raw = call.query(name);
    if (raw == null || raw.isEmpty()) return dflt;
    try {
      long ms = Long.parseLong(raw.trim());
      if (ms >= 0) return ms;
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(raw.trim()).toEpochMilli();
      } catch (DateTimeParseException e2) {
        // fall through
      }
    }
    error(name, "must be an ISO-8601 instant (2030-01-01T00:00:00Z) or epoch milliseconds");
    return dflt;
  }

  /** One of {@code allowed} (lowercase), or null. */
  String oneOf(String name, boolean required, String... allowed) {
    String raw = call.query(name);
    if (raw == null || raw.isEmpty()) {
      if (required) error(name, "is required: one of " + String.join(", ", allowed));
      return null;
    }
    for (String a : allowed) {
      if (a.equals(raw)) return a;
    }
    error(name, "must be one of " + String.join(", ", allowed));
    return null;
  }

  Boolean bool(String name) {
    String raw = call.query(name);
    if (raw == null || raw.isEmpty()) return null;
    if ("true".equals(raw)) return true;
    if ("false".equals(raw)) return false;
    error(name, "must be true or false");
    return null;
  }
}
