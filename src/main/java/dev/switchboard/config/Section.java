package dev.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A typed, path-aware view of one YAML mapping, so every error names the offending key. */
final class Section {

  private final String path;
  private final JsonObject json;

  Section(String path, JsonObject json, Set<String> known) {
    this.path = path;
    this.json = json == null ? new JsonObject() : json;
    for (String key : this.json.fieldNames()) {
      if (!known.contains(key)) {
        throw new ConfigException(key(key), "unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  static Section of(String path, Object value, Set<String> known) {
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(path, "expected a mapping");
    }
    return new Section(path, (JsonObject) value, known);
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  Object raw(String name) {
    return json.getValue(name);
  }

  String string(String name, String dflt) {
    Object v = json.getValue(name);
    if (v == null) return dflt;
    if (v instanceof JsonObject || v instanceof JsonArray) {
      throw new ConfigException(key(name), "expected a single value");
    }
    String s = String.valueOf(v).trim();
    return s.isEmpty() ? dflt : s;
  }

  String required(String name) {
    String s = string(name, null);
    if (s == null) {
      throw new ConfigException(key(name), "is required");
    }
    return s;
  }

  int integer(String name, int dflt, int min, int max) {
    Object v = json.getValue(name);
    if (v == null) return dflt;
    long n;
    try {
      if (v instanceof Number num && num.doubleValue() != Math.rint(num.doubleValue())) {
        throw new NumberFormatException();
      }
      n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key(name), "expected a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new ConfigException(key(name), "must be between " + min + " and " + max + ", got " + n);
    }
    return (int) n;
  }

  long longValue(String name, long dflt, long min) {
    Object v = json.getValue(name);
    if (v == null) return dflt;
    try {
      if (v instanceof Number num && num.doubleValue() != Math.rint(num.doubleValue())) {
        throw new NumberFormatException();
      }
      long n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
      if (n < min) {
        throw new ConfigException(key(name), "must be at least " + min + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigException(key(name), "expected a whole number, got '" + v + "'");
    }
  }

  double decimal(String name, double dflt, double min) {
    Object v = json.getValue(name);
    if (v == null) return dflt;
    double n;
    try {
      n = v instanceof Number num ? num.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key(name), "expected a number, got '" + v + "'");
    }
    if (!(n >= min) || Double.isInfinite(n)) {
      throw new ConfigException(key(name), "must be a number of at least " + min + ", got " + v);
    }
    return n;
  }

  boolean bool(String name, boolean dflt) {
    Object v = json.getValue(name);
    if (v == null) return dflt;
    if (v instanceof Boolean b) return b;
    String s = String.valueOf(v).trim().toLowerCase(java.util.Locale.ROOT);
    if (s.equals("true")) return true;
    if (s.equals("false")) return false;
    throw new ConfigException(key(name), "expected true or false, got '" + v + "'");
  }

  long millis(String name, long dflt) {
    Object v = json.getValue(name);
    return v == null ? dflt : Units.millis(key(name), v);
  }

  long bytes(String name, long dflt, long min) {
    Object v = json.getValue(name);
    long n = v == null ? dflt : Units.bytes(key(name), v);
    if (n < min) {
      throw new ConfigException(key(name), "must be at least " + min + " bytes, got " + n);
    }
    return n;
  }

  /** A list of strings; a single string is a list of one. */
  List<String> strings(String name) {
    Object v = json.getValue(name);
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        Object item = a.getValue(i);
        if (item == null || item instanceof JsonObject || item instanceof JsonArray) {
          throw new ConfigException(key(name) + "[" + i + "]", "expected a string");
        }
        out.add(String.valueOf(item).trim());
      }
    } else if (v instanceof JsonObject) {
      throw new ConfigException(key(name), "expected a list of strings");
    } else {
      out.add(String.valueOf(v).trim());
    }
    return List.copyOf(out);
  }

  Map<String, String> stringMap(String name) {
    Object v = json.getValue(name);
    if (v == null) return Map.of();
    if (!(v instanceof JsonObject o)) {
      throw new ConfigException(key(name), "expected a mapping of model names");
    }
    Map<String, String> out = new LinkedHashMap<>();
    o.forEach(e -> {
      Object value = e.getValue();
      // `fast:` with nothing after it is YAML null; it must not become the model name "null"
      if (value == null || value instanceof JsonObject || value instanceof JsonArray || String.valueOf(value).isBlank()) {
        throw new ConfigException(key(name) + "." + e.getKey(), "expected the upstream model name");
      }
      out.put(e.getKey(), String.valueOf(value).trim());
    });
    return Map.copyOf(out);
  }

  /** The items of a list of mappings. */
  List<Object> list(String name) {
    Object v = json.getValue(name);
    if (v == null) return List.of();
    if (!(v instanceof JsonArray a)) {
      throw new ConfigException(key(name), "expected a list");
    }
    return a.getList().stream().map(o -> o instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : o).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}
