package dev.switchboard.translate.gemini;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Requests and whole answers with any node swapped for a value of another type are either
 * translated or refused with a {@link TranslationException} (a 400 for the client, or a bad
 * upstream answer), never anything else: no NullPointerException, no ClassCastException.
 */
class GeminiTranslationFuzzTest {

  private static final int ITERATIONS = 5000;
  private static final String[] CHAT_NAMES = {"role", "content", "type", "text", "tool_calls", "function", "arguments", "id",
      "name", "tools", "tool_choice", "messages", "image_url", "url", "stop", "temperature", "max_tokens", "reasoning_effort",
      "response_format", "json_schema", "schema", "extra_content", "tool_call_id", "parameters", "$ref", "allOf", "type"};
  private static final String[] GEMINI_NAMES = {"contents", "parts", "role", "text", "functionCall", "functionResponse",
      "inlineData", "fileData", "mimeType", "data", "args", "response", "name", "id", "tools", "functionDeclarations",
      "toolConfig", "functionCallingConfig", "mode", "allowedFunctionNames", "generationConfig", "thinkingConfig",
      "thinkingBudget", "thinkingLevel", "responseSchema", "responseMimeType", "systemInstruction", "parameters"};
  private static final String[] CHAT_ANSWER_NAMES = {"choices", "message", "delta", "content", "tool_calls", "function",
      "arguments", "name", "usage", "prompt_tokens", "finish_reason", "reasoning_content", "refusal", "error", "id", "index"};
  private static final String[] GEMINI_ANSWER_NAMES = {"candidates", "content", "parts", "text", "thought", "functionCall",
      "args", "name", "id", "thoughtSignature", "finishReason", "usageMetadata", "promptTokenCount", "promptFeedback",
      "blockReason", "error", "responseId", "index"};

  @Test
  void mistypedChatRequestsTranslateOrAreRefused() {
    ChatToGemini t = GeminiFixtures.chatToGemini();
    run("chat-to-gemini", "request", CHAT_NAMES, 101L, r -> t.request(r, GeminiFixtures.UPSTREAM_MODEL));
  }

  @Test
  void mistypedGeminiRequestsTranslateOrAreRefused() {
    GeminiToChat t = GeminiFixtures.geminiToChat();
    Random coin = new Random(7);
    run("gemini-to-chat", "request", GEMINI_NAMES, 202L, r -> t.request(r, GeminiFixtures.UPSTREAM_MODEL, coin.nextBoolean()));
  }

  @Test
  void mistypedGeminiAnswersTranslateOrAreRefused() {
    ChatToGemini t = GeminiFixtures.chatToGemini();
    run("chat-to-gemini", "response", GEMINI_ANSWER_NAMES, 303L, r -> t.response(r, GeminiFixtures.CLIENT_MODEL));
  }

  @Test
  void mistypedChatAnswersTranslateOrAreRefused() {
    GeminiToChat t = GeminiFixtures.geminiToChat();
    run("gemini-to-chat", "response", CHAT_ANSWER_NAMES, 404L, r -> t.response(r, GeminiFixtures.CLIENT_MODEL));
  }

  private static void run(String root, String dir, String[] names, long seed, Function<JsonObject, JsonObject> translate) {
    List<JsonObject> seeds = new GeminiFixtures(root).cases(dir, ".in.json").map(GeminiTranslationFuzzTest::json).toList();
    Random random = new Random(seed);
    JsonMutator mutator = new JsonMutator(random, names);
    int translated = 0;
    int refused = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      JsonObject in = seeds.get(random.nextInt(seeds.size())).copy();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) mutator.mutate(in);
      try {
        translate.apply(in);
        translated++;
      } catch (TranslationException expected) {
        refused++;
      } catch (RuntimeException e) {
        fail("iteration " + i + " threw " + e + " for " + in.encode(), e);
      }
    }
    assertTrue(translated > ITERATIONS / 10, translated + " translated, " + refused + " refused");
  }

  private static JsonObject json(Path p) {
    return new JsonObject(GeminiFixtures.read(p));
  }
}
