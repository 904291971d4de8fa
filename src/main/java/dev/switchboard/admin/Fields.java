package dev.switchboard.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field-level validation of a JSON body: every problem is collected under its field name and
 * {@link #check()} throws one 400 listing them all. Text is stored verbatim (quotes, SQL-looking
 * input and any Unicode are fine); control characters and oversized values are refused.
 * A getter returns null when the field is absent or invalid.
 */
final class Fields {

  private final JsonObject body;
  private final JsonObject errors;
  /** Put before every field name: {@code tiers[0].} for a nested object. */
  private final String prefix;

  Fields(JsonObject body, Set<String> known) {
    this(body, known, "", new JsonObject());
  }

  private Fields(JsonObject body, Set<String> known, String prefix, JsonObject errors) {
    this.body = body;
    this.prefix = prefix;
    this.errors = errors;
    for (String name : body.fieldNames()) {
      if (!known.contains(name)) {
        error(name, "unknown field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  /**
   * The object in field {@code name} read with the same error list, its problems named
   * {@code name.field}; null (and an error) when it is not an object.
   */
  Fields nested(String name, Object value, Set<String> known) {
    if (!(value instanceof JsonObject o)) {
      error(name, "must be an object");
      return null;
    }
    return new Fields(o, known, prefix + name + ".", errors);
  }

  /** Whether any problem was found so far (in this object or any other sharing its list). */
  boolean failed() {
    return !errors.isEmpty();
  }

  /** The raw value of a field, for the caller to interpret. */
  Object raw(String name) {
    return body.getValue(name);
  }

  boolean has(String name) {
    return body.containsKey(name);
  }

  void error(String field, String message) {
    if (!errors.containsKey(prefix + field)) errors.put(prefix + field, message);
  }

  /** Throws the collected errors, if any. */
  void check() {
    if (!errors.isEmpty()) throw ApiError.invalid(errors);
  }

  String text(String name, boolean required, int max) {
    Object v = body.getValue(name);
    if (v == null) {
      if (required) error(name, "is required");
      return null;
    }
    if (!(v instanceof String s)) {
      error(name, "must be a string");
      return null;
    }
    return checkText(name, s, max);
  }

  /** A text value found inside another field (a list item), checked as {@link #text} checks one. */
  String textItem(String field, Object v, int max) {
    if (!(v instanceof String s)) {
      error(field, "must be a string");
      return null;
    }
    return checkText(field, s, max);
  }

  private String checkText(String field, String s, int max) {
    if (s.isBlank()) {
      error(field, "must not be empty");
      return null;
    }
    if (s.length() > max) {
      error(field, "must be at most " + max + " characters");
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        error(field, "must not contain control characters");
        return null;
      }
    }
    return s;
  }

  /** A username: 1-64 letters, digits, dot, underscore, at or dash. */
  String username(String name, boolean required) {
    String s = text(name, required, 64);
    if (s != null && !s.matches("[A-Za-z0-9._@-]+")) {
      error(name, "may contain only letters, digits and . _ @ -");
      return null;
    }
    return s;
  }

  /** A new password: 10-72 characters (BCrypt reads at most 72 bytes). */
  String password(String name, boolean required) {
    Object v = body.getValue(name);
    if (v == null) {
      if (required) error(name, "is required");
      return null;
    }
    if (!(v instanceof String s)) {
      error(name, "must be a string");
      return null;
    }
    int bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (s.length() < 10 || bytes > 72) {
      error(name, "must be 10 to 72 bytes long");
      return null;
    }
    return s;
  }

  Integer integer(String name, int min, int max) {
    Object v = body.getValue(name);
    if (v == null) return null;
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      error(name, "must be a whole number");
      return null;
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      error(name, "must be between " + min + " and " + max);
      return null;
    }
    return n.intValue();
  }

  /** A number (decimals allowed) within the bounds. */
  Double decimal(String name, double min, double max) {
    Object v = body.getValue(name);
    if (v == null) return null;
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      error(name, "must be a number");
      return null;
    }
    if (n.doubleValue() < min || n.doubleValue() > max) {
      error(name, "must be between " + min + " and " + max);
      return null;
    }
    return n.doubleValue();
  }

  Boolean bool(String name) {
    Object v = body.getValue(name);
    if (v == null) return null;
    if (!(v instanceof Boolean b)) {
      error(name, "must be true or false");
      return null;
    }
    return b;
  }

  List<String> strings(String name, int maxItems, int maxLength) {
    Object v = body.getValue(name);
    if (v == null) return null;
    if (!(v instanceof JsonArray a)) {
      error(name, "must be a list of strings");
      return null;
    }
    if (a.size() > maxItems) {
      error(name, "must have at most " + maxItems + " items");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      Object item = a.getValue(i);
      String s = item instanceof String str ? checkText(name + "[" + i + "]", str, maxLength) : null;
      if (!(item instanceof String)) error(name + "[" + i + "]", "must be a string");
      if (s == null) return null;
      out.add(s);
    }
    return List.copyOf(out);
  }

  Map<String, String> stringMap(String name, int maxItems, int maxLength) {
    Object v = body.getValue(name);
    if (v == null) return null;
    if (!(v instanceof JsonObject o)) {
      error(name, "must be an object of strings");
      return null;
    }
    if (o.size() > maxItems) {
      error(name, "must have at most " + maxItems + " entries");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : o.fieldNames()) {
      Object item = o.getValue(key);
      String k = checkText(name, key, maxLength);
      String s = item instanceof String str ? checkText(name + "." + key, str, maxLength) : null;
      if (!(item instanceof String)) error(name + "." + key, "must be a string");
      if (k == null || s == null) return null;
      out.put(k, s);
    }
    return Map.copyOf(out);
  }

  /**
   * An instant as epoch milliseconds or ISO-8601 text; JSON null clears it (returns 0).
   * Absent returns -1.
   */
  long instant(String name) {
    if (!body.containsKey(name)) return -1;
    Object v = body.getValue(name);
    if (v == null) return 0;
    if (v instanceof Number n && n.longValue() > 0) return n.longValue();
    if (v instanceof String s) {
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e) {
        // fall through
      }
    }
    error(name, "must be an ISO-8601 instant (2030-01-01T00:00:00Z), epoch milliseconds or null");
    return -1;
  }
}
