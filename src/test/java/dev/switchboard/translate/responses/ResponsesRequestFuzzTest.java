package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.translate.Translation;
import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Client requests and upstream answers with any node swapped for a value of another type: a
 * request is either translated or refused with a {@link TranslationException} (a 400 for the
 * client), and an answer is translated or refused the same way, never anything else.
 */
class ResponsesRequestFuzzTest {

  private static final int ITERATIONS = 3000;

  @Test
  void mistypedResponsesRequestsTranslateOrAreRefused() {
    run(ResponsesFixtures.responsesToChat(), seeds("responses-to-chat", "request"), true, 7001L);
  }

  @Test
  void mistypedChatRequestsTranslateOrAreRefused() {
    run(ResponsesFixtures.chatToResponses(), seeds("chat-to-responses", "request"), true, 7002L);
  }

  @Test
  void mistypedChatCompletionsTranslateOrAreRefused() {
    run(ResponsesFixtures.responsesToChat(), seeds("responses-to-chat", "response"), false, 7003L);
  }

  @Test
  void mistypedResponsesTranslateOrAreRefused() {
    run(ResponsesFixtures.chatToResponses(), seeds("chat-to-responses", "response"), false, 7004L);
  }

  private static void run(Translation translation, List<JsonObject> seeds, boolean request, long seed) {
    Random random = new Random(seed);
    int translated = 0;
    int refused = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      JsonObject body = seeds.get(random.nextInt(seeds.size())).copy();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) mutate(body, random);
      try {
        if (request) translation.request(body, "up");
        else translation.response(body, "client");
        translated++;
      } catch (TranslationException expected) {
        refused++;
      } catch (RuntimeException e) {
        fail("iteration " + i + " threw " + e + " for " + body.encode(), e);
      }
    }
    assertTrue(translated > ITERATIONS / 10, translated + " translated, " + refused + " refused");
    if (request) assertTrue(refused > ITERATIONS / 10, translated + " translated, " + refused + " refused");
  }

  private static List<JsonObject> seeds(String direction, String dir) {
    List<JsonObject> seeds = new ArrayList<>();
    for (Path p : ResponsesFixtures.files(direction, dir, ".json")) {
      JsonObject f = ResponsesFixtures.json(p);
      if (!f.containsKey("error")) seeds.add(f.getJsonObject("in"));
    }
    return seeds;
  }

  /** Replaces one node somewhere in the tree (or adds a key) with a random value. */
  private static void mutate(Object node, Random r) {
    while (true) {
      if (node instanceof JsonObject o) {
        List<String> keys = new ArrayList<>(o.fieldNames());
        if (keys.isEmpty() || r.nextInt(4) == 0) {
          String[] names = {"role", "content", "type", "text", "input", "instructions", "tools", "tool_choice", "call_id",
              "output", "arguments", "name", "messages", "tool_calls", "function", "id", "format", "status", "usage", "choices",
              "item", "summary", "image_url", "previous_response_id", "max_output_tokens", "response_format", "reasoning"};
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
    return switch (r.nextInt(10)) {
      case 0 -> null;
      case 1 -> r.nextInt(5) - 1;
      case 2 -> "x";
      case 3 -> "";
      case 4 -> new JsonArray();
      case 5 -> new JsonObject();
      case 6 -> true;
      case 7 -> 1.5;
      case 8 -> new JsonObject().put("type", "function_call").put("call_id", "call_x").put("name", "f");
      default -> new JsonArray().add(new JsonObject().put("type", "input_text"));
    };
  }
}
