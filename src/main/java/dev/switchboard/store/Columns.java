package dev.switchboard.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encoding of the JSON text columns (lists of strings and string maps). */
final class Columns {

  private Columns() {}

  static String encodeList(List<String> values) {
    return values == null ? "[]" : new JsonArray(new ArrayList<Object>(values)).encode();
  }

  static String encodeMap(Map<String, String> values) {
    return values == null
        ? "{}"
        : new JsonObject(new LinkedHashMap<String, Object>(values)).encode();
  }

  static List<String> decodeList(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    JsonArray array = new JsonArray(text);
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getString(i));
    }
    return List.copyOf(out);
  }

  static Map<String, String> decodeMap(String text) {
    if (text == null || text.isEmpty()) {
      return Map.of();
    }
    JsonObject object = new JsonObject(text);
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : object.fieldNames()) {
      out.put(key, object.getString(key));
    }
    return Collections.unmodifiableMap(out);
  }
}
