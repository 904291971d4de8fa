package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Client requests with any node swapped for a value of another type are either translated or
 * refused with a {@link TranslationException} (a 400 for the client), never anything else.
 */
class ChatToAnthropicRequestFuzzTest {

  private static final int ITERATIONS = 3000;

  @Test
  void malformedRequestsAreRefusedWithAClientError() {
    List<JsonObject> seeds = new ArrayList<>();
    for (Path p : ChatToAnthropicFixtures.files("request", ".json")) seeds.add(ChatToAnthropicFixtures.json(p).getJsonObject("in"));
    ChatToAnthropic translation = ChatToAnthropicFixtures.translation();
    Random random = new Random(4242L);
    int translated = 0;
    int refused = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      JsonObject request = seeds.get(random.nextInt(seeds.size())).copy();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) mutate(request, random);
      try {
        translation.request(request, "claude-sonnet-4-5");
        translated++;
      } catch (TranslationException expected) {
        refused++; // a 400 with a message for the client
      } catch (RuntimeException e) {
        fail("iteration " + i + " threw " + e + " for " + request.encode(), e);
      }
    }
    assertTrue(translated > ITERATIONS / 10 && refused > ITERATIONS / 10, translated + " translated, " + refused + " refused");
  }

  /** Replaces one node somewhere in the tree (or adds a key) with a random value. */
  private static void mutate(Object node, Random r) {
    while (true) {
      if (node instanceof JsonObject o) {
        List<String> keys = new ArrayList<>(o.fieldNames());
        if (keys.isEmpty() || r.nextInt(4) == 0) {
          String[] names = {"role", "content", "type", "text", "tool_calls", "function", "arguments", "id", "name", "tools",
              "tool_choice", "messages", "thinking_blocks", "image_url", "url", "stop", "temperature", "max_tokens"};
          o.put(names[r.nextInt(names.length)], value(r));
          return;
        }
        String key = keys.get(r.nextInt(keys.size()));
        Object child = o.getValue(key);
        if ((child instanceof JsonObject || child instanceof JsonArray) && r.nextInt(3) != 0) {
          node = child;
          continue;
        }
        o.put(key, value(r));
        return;
      }
      if (node instanceof JsonArray a) {
        if (a.isEmpty()) {
          a.add(value(r));
          return;
        }
        int idx = r.nextInt(a.size());
        Object child = a.getValue(idx);
        if ((child instanceof JsonObject || child instanceof JsonArray) && r.nextInt(3) != 0) {
          node = child;
          continue;
        }
        a.set(idx, value(r));
        return;
      }
      return;
    }
  }

  private static Object value(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> null;
      case 1 -> r.nextInt(5) - 1;
      case 2 -> "x";
      case 3 -> "";
      case 4 -> new JsonArray();
      case 5 -> new JsonObject();
      case 6 -> true;
      case 7 -> 1.5;
      default -> new JsonArray().add(new JsonObject().put("type", "text"));
    };
  }
}
