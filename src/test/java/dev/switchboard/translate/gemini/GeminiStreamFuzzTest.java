package dev.switchboard.translate.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random, reordered, truncated and malformed upstream streams in both directions: the translator
 * never throws, its output is what the client SDK accepts ({@link ChatSdkReplay},
 * {@link GeminiClientReplay}), the client stream ends exactly once (one {@code [DONE]} or one
 * error for Chat; one finishing event or one error for Gemini) and nothing follows the end,
 * however the upstream ends.
 */
class GeminiStreamFuzzTest {

  private static final int ITERATIONS = 3000;

  @Test
  void randomGeminiStreamsEndTheChatClientStreamExactlyOnce() {
    Random random = new Random(20261201L);
    int completed = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      StreamTranslator t = GeminiFixtures.chatToGemini().stream("m", random.nextBoolean());
      List<Buffer> out = new ArrayList<>();
      List<String> sent = new ArrayList<>();
      try {
        int n = random.nextInt(12);
        for (int k = 0; k < n; k++) {
          String data = geminiChunk(random);
          sent.add(data);
          t.onEvent(null, data == null ? null : Buffer.buffer(data), out);
        }
        end(t, random, out);
        ChatSdkReplay replay = ChatSdkReplay.of(out);
        long terminals = out.stream().map(Buffer::toString)
            .filter(s -> s.equals("data: [DONE]\n\n") || s.startsWith("data: {\"error\"")).count();
        assertEquals(1, terminals, "exactly one [DONE] or error");
        if (replay.done) completed++;
        t.usage();
      } catch (Throwable e) {
        fail("iteration " + i + " failed on " + sent + ": " + e, e);
      }
    }
    assertTrue(completed > ITERATIONS / 20 && completed < ITERATIONS - ITERATIONS / 20, "both endings exercised: " + completed);
  }

  @Test
  void randomChatStreamsEndTheGeminiClientStreamExactlyOnce() {
    Random random = new Random(20261202L);
    int completed = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      StreamTranslator t = GeminiFixtures.geminiToChat().stream("m");
      List<Buffer> out = new ArrayList<>();
      List<String> sent = new ArrayList<>();
      try {
        int n = random.nextInt(14);
        for (int k = 0; k < n; k++) {
          String data = chatChunk(random);
          sent.add(data);
          t.onEvent(random.nextInt(20) == 0 ? "message" : null, data == null ? null : Buffer.buffer(data), out);
        }
        end(t, random, out);
        GeminiClientReplay replay = GeminiClientReplay.of(out);
        long terminals = GeminiFixtures.dataOf(out).stream().filter(o -> o instanceof JsonObject c
            && (c.containsKey("error") || c.getJsonArray("candidates").getJsonObject(0).containsKey("finishReason"))).count();
        assertEquals(1, terminals, "exactly one finishing event or error");
        if (replay.error == null) completed++;
        t.usage();
      } catch (Throwable e) {
        fail("iteration " + i + " failed on " + sent + ": " + e, e);
      }
    }
    assertTrue(completed > ITERATIONS / 20 && completed < ITERATIONS - ITERATIONS / 20, "both endings exercised: " + completed);
  }

  /** Ends the upstream one of several ways, then keeps talking: nothing may come out after the end. */
  private static void end(StreamTranslator t, Random r, List<Buffer> out) {
    switch (r.nextInt(4)) {
      case 0 -> t.onError("The upstream connection was lost.", out);
      case 1 -> {
        t.onEnd(out);
        t.onError("late", out);
      }
      default -> t.onEnd(out);
    }
    int size = out.size();
    t.onEvent(null, Buffer.buffer("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"late\"}]},\"finishReason\":\"STOP\"}]}"), out);
    t.onEvent(null, Buffer.buffer("[DONE]"), out);
    t.onEnd(out);
    assertEquals(size, out.size(), "nothing after the end");
  }

  private static String geminiChunk(Random r) {
    switch (r.nextInt(14)) {
      case 0 -> {
        return null;
      }
      case 1 -> {
        return r.nextBoolean() ? "" : "{\"candidates\":[{\"content\":";
      }
      case 2 -> {
        return r.nextBoolean() ? "[1,2]" : "42";
      }
      case 3 -> {
        String e = "{\"error\":{\"code\":" + (400 + r.nextInt(200)) + ",\"message\":\"boom\",\"status\":\"UNAVAILABLE\"}}";
        return r.nextBoolean() ? e : "[" + e + "]";
      }
      case 4 -> {
        return "{\"candidates\":\"x\",\"usageMetadata\":7,\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}";
      }
      default -> { }
    }
    JsonArray parts = new JsonArray();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) parts.add(geminiPart(r));
    JsonObject candidate = new JsonObject().put("content", r.nextInt(10) == 0 ? "odd" : new JsonObject().put("role", "model").put("parts", parts));
    if (r.nextInt(8) > 0) candidate.put("index", r.nextInt(6) == 0 ? 1 : 0);
    if (r.nextInt(4) == 0) {
      String[] reasons = {"STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "MALFORMED_FUNCTION_CALL", "OTHER", "NEW_ONE"};
      candidate.put("finishReason", reasons[r.nextInt(reasons.length)]);
    }
    JsonObject chunk = new JsonObject().put("candidates", new JsonArray().add(candidate));
    if (r.nextBoolean()) chunk.put("responseId", "r" + r.nextInt(2));
    if (r.nextBoolean()) {
      chunk.put("usageMetadata", new JsonObject().put("promptTokenCount", r.nextInt(100) - 3).put("candidatesTokenCount", r.nextInt(50))
          .put("thoughtsTokenCount", r.nextInt(20)).put("cachedContentTokenCount", r.nextInt(200)));
    }
    return chunk.encode();
  }

  private static Object geminiPart(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> new JsonObject().put("text", r.nextBoolean() ? "" : "t").put("thought", true);
      case 1 -> new JsonObject().put("text", "").put("thoughtSignature", "S" + r.nextInt(3));
      case 2, 3 -> {
        JsonObject call = new JsonObject().put("name", r.nextInt(6) == 0 ? 5 : "f" + r.nextInt(2))
            .put("args", r.nextInt(5) == 0 ? "notobj" : new JsonObject().put("a", r.nextInt(3)));
        if (r.nextBoolean()) call.put("id", "fc" + r.nextInt(3));
        JsonObject part = new JsonObject().put("functionCall", r.nextInt(10) == 0 ? "odd" : call);
        if (r.nextBoolean()) part.put("thoughtSignature", "SIG");
        yield part;
      }
      case 4 -> r.nextBoolean() ? 7 : new JsonObject().put("inlineData", new JsonObject().put("mimeType", "image/png"));
      default -> new JsonObject().put("text", new String[] {"a", " b", "é✓", "\n", "\"q\""}[r.nextInt(5)]);
    };
  }

  private static String chatChunk(Random r) {
    return switch (r.nextInt(16)) {
      case 0 -> null;
      case 1 -> r.nextBoolean() ? "" : "[DONE]";
      case 2 -> "{not json";
      case 3 -> r.nextBoolean() ? "[1,2]" : "42";
      case 4 -> "{\"error\":" + (r.nextBoolean() ? "{\"message\":\"boom\",\"code\":" + (400 + r.nextInt(200)) + "}" : "\"plain\"") + "}";
      case 5 -> base().put("choices", new JsonArray()).put("usage", usage(r)).encode();
      case 6 -> base().put("choices", r.nextBoolean() ? "x" : null).put("usage", r.nextBoolean() ? "nope" : null).encode();
      case 7 -> withDelta(r, new JsonObject().put("content", text(r))).encode();
      case 8 -> withDelta(r, new JsonObject().put("reasoning_content", text(r))).encode();
      case 9 -> withDelta(r, new JsonObject().put("refusal", text(r))).encode();
      case 10, 11 -> withDelta(r, new JsonObject().put("tool_calls", new JsonArray().add(toolCall(r)))).encode();
      case 12 -> withDelta(r, new JsonObject().put("tool_calls", r.nextBoolean() ? "x" : new JsonArray().add(1))).encode();
      case 13 -> {
        String[] reasons = {"stop", "length", "tool_calls", "content_filter", "function_call", "", "weird"};
        JsonObject c = withDelta(r, new JsonObject());
        c.getJsonArray("choices").getJsonObject(0).put("finish_reason", reasons[r.nextInt(reasons.length)]);
        if (r.nextBoolean()) c.put("usage", usage(r));
        yield c.encode();
      }
      default -> base().put("choices", new JsonArray().add(new JsonObject().put("index", r.nextInt(3))
          .put("delta", r.nextBoolean() ? "str" : new JsonObject().put("content", 5)))).encode();
    };
  }

  private static JsonObject base() {
    return new JsonObject().put("id", "chatcmpl-fuzz").put("object", "chat.completion.chunk");
  }

  private static JsonObject withDelta(Random r, JsonObject delta) {
    JsonObject choice = new JsonObject().put("delta", delta).put("finish_reason", null);
    if (r.nextInt(5) > 0) choice.put("index", 0);
    return base().put("choices", new JsonArray().add(choice)).put("usage", null);
  }

  private static JsonObject toolCall(Random r) {
    JsonObject call = new JsonObject();
    if (r.nextInt(6) > 0) call.put("index", r.nextInt(3));
    if (r.nextInt(3) == 0) call.put("id", "call_" + r.nextInt(3));
    JsonObject function = new JsonObject();
    if (r.nextInt(3) == 0) function.put("name", r.nextBoolean() ? "f" + r.nextInt(3) : "");
    if (r.nextInt(4) > 0) function.put("arguments", r.nextBoolean() ? "{\"a\":" : text(r));
    if (r.nextInt(10) > 0) call.put("function", function);
    return call;
  }

  private static String text(Random r) {
    String[] texts = {"", "a", " b", "{", "}", "\"", "é✓", "\n"};
    return texts[r.nextInt(texts.length)];
  }

  private static JsonObject usage(Random r) {
    return new JsonObject().put("prompt_tokens", r.nextInt(100) - 5).put("completion_tokens", r.nextInt(50))
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", r.nextInt(200)))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", r.nextInt(80)));
  }
}
