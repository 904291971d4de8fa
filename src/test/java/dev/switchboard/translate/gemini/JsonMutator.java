package dev.switchboard.translate.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Replaces one node somewhere in a JSON tree (or adds a key) with a random value of any type; deep nodes are favoured. */
final class JsonMutator {

  private final Random r;
  private final String[] names;

  /** @param names keys to add now and then, so that absent fields get exercised too */
  JsonMutator(Random r, String... names) {
    this.r = r;
    this.names = names;
  }

  void mutate(Object node) {
    while (true) {
      if (node instanceof JsonObject o) {
        List<String> keys = new ArrayList<>(o.fieldNames());
        if (keys.isEmpty() || r.nextInt(6) == 0) {
          o.put(names[r.nextInt(names.length)], value());
          return;
        }
        String key = keys.get(r.nextInt(keys.size()));
        Object child = o.getValue(key);
        if ((child instanceof JsonObject || child instanceof JsonArray) && r.nextInt(5) != 0) {
          node = child;
          continue;
        }
        o.put(key, value());
        return;
      }
      if (node instanceof JsonArray a) {
        if (a.isEmpty()) {
          a.add(value());
          return;
        }
        int idx = r.nextInt(a.size());
        Object child = a.getValue(idx);
        if ((child instanceof JsonObject || child instanceof JsonArray) && r.nextInt(5) != 0) {
          node = child;
          continue;
        }
        a.set(idx, value());
        return;
      }
      return;
    }
  }

  Object value() {
    return switch (r.nextInt(10)) {
      case 0 -> null;
      case 1 -> r.nextInt(5) - 1;
      case 2 -> "x";
      case 3 -> "";
      case 4 -> new JsonArray();
      case 5 -> new JsonObject();
      case 6 -> true;
      case 7 -> 1.5;
      case 8 -> new JsonObject().put("text", "t").put("type", "text");
      default -> new JsonArray().add(new JsonObject().put("type", "text"));
    };
  }
}
