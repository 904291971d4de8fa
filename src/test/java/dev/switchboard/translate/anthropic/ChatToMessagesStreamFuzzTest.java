package dev.switchboard.translate.anthropic;

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
 * Random, often malformed Chat chunk sequences: the translator never throws, every output is
 * something the Anthropic SDK accumulator accepts, and the client stream always ends with
 * {@code message_stop} or an {@code error} event, however the upstream ends.
 */
class ChatToMessagesStreamFuzzTest {

  private static final int ITERATIONS = 4000;

  @Test
  void randomChunkSequencesAlwaysEndTheClientStreamCleanly() {
    Random random = new Random(20261122L);
    for (int i = 0; i < ITERATIONS; i++) {
      boolean buffered = random.nextBoolean();
      StreamTranslator translator = new MessagesToChat(new MessagesToChat.Options(false, false, buffered, true), () -> "msg_fuzz")
          .stream("claude-client");
      List<Buffer> out = new ArrayList<>();
      List<String> sent = new ArrayList<>();
      try {
        int n = random.nextInt(14);
        for (int k = 0; k < n; k++) {
          String data = chunk(random);
          sent.add(data);
          translator.onEvent(random.nextInt(20) == 0 ? "message" : null, data == null ? null : Buffer.buffer(data), out);
        }
        switch (random.nextInt(4)) {
          case 0 -> translator.onError("upstream reset", out);
          case 1 -> {
            translator.onEvent(null, Buffer.buffer("[DONE]"), out);
            translator.onEnd(out);
          }
          default -> translator.onEnd(out);
        }
        translator.usage();
        ChatToMessagesSdkAccumulator acc = ChatToMessagesSdkAccumulator.replay(out);
        assertTrue(acc.ended(), "stream did not end");
      } catch (Throwable t) {
        fail("iteration " + i + " (buffered=" + buffered + ") failed on " + sent + ": " + t, t);
      }
    }
  }

  private static String chunk(Random r) {
    return switch (r.nextInt(16)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "{not json";
      case 3 -> r.nextBoolean() ? "[1,2]" : "42";
      case 4 -> "{\"error\":" + (r.nextBoolean() ? "{\"message\":\"boom\",\"code\":" + (400 + r.nextInt(200)) + "}" : "\"plain\"") + "}";
      case 5 -> base().put("choices", new JsonArray()).put("usage", usage(r)).encode();
      case 6 -> base().put("choices", r.nextBoolean() ? "x" : null).put("usage", r.nextBoolean() ? "nope" : null).encode();
      case 7 -> withDelta(r, new JsonObject().put("content", text(r))).encode();
      case 8 -> withDelta(r, new JsonObject().put("reasoning_content", text(r))).encode();
      case 9 -> withDelta(r, new JsonObject().put("refusal", text(r))).encode();
      case 10, 11, 12 -> withDelta(r, new JsonObject().put("tool_calls", new JsonArray().add(toolCall(r)))).encode();
      case 13 -> withDelta(r, new JsonObject().put("tool_calls", r.nextBoolean() ? "x" : new JsonArray().add(1))).encode();
      case 14 -> {
        String[] reasons = {"stop", "length", "tool_calls", "content_filter", "function_call", "weird"};
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
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", r.nextInt(200)));
  }
}
