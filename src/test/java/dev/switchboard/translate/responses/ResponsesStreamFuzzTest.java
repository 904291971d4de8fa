package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random, often malformed upstream streams in both directions: the translator never throws,
 * every output passes the SDK replay (openai-java included), and the client stream ends exactly
 * once however the upstream ends: one terminal Responses event, or {@code [DONE]} or one error
 * for Chat, and nothing after it even when the upstream goes on.
 */
class ResponsesStreamFuzzTest {

  private static final int ITERATIONS = 1200;
  private static final JsonObject CODEX_TOOLS = new JsonObject("{\"tools\":[{\"type\":\"custom\",\"name\":\"f0\"},"
      + "{\"type\":\"namespace\",\"name\":\"ns\",\"description\":\"MCP\",\"tools\":[{\"type\":\"function\",\"name\":\"f1\"}]}]}");

  @Test
  void randomChatChunksAlwaysEndTheResponsesStreamExactlyOnce() {
    Random random = new Random(20261201L);
    for (int i = 0; i < ITERATIONS; i++) {
      // half the streams know a request that declares f0 as a custom tool and ns__f1 as a namespaced one
      StreamTranslator translator = random.nextBoolean() ? ResponsesFixtures.responsesToChat().stream("codex-model")
          : ResponsesFixtures.responsesToChat().stream("codex-model", CODEX_TOOLS);
      List<String> sent = new ArrayList<>();
      List<Buffer> out = new ArrayList<>();
      try {
        int n = random.nextInt(14);
        for (int k = 0; k < n; k++) {
          String data = chatChunk(random);
          sent.add(data);
          translator.onEvent(null, data == null ? null : Buffer.buffer(data), out);
        }
        end(translator, random, "data", out);
        translator.usage();
        ResponsesStreamCheck check = ResponsesStreamCheck.replay(out);
        assertEquals(1, terminals(check), "exactly one terminal event");
      } catch (Throwable t) {
        fail("iteration " + i + " failed on " + sent + ": " + t, t);
      }
    }
  }

  @Test
  void randomResponsesEventsAlwaysEndTheChatStreamExactlyOnce() {
    Random random = new Random(20261202L);
    for (int i = 0; i < ITERATIONS; i++) {
      StreamTranslator translator = ResponsesFixtures.chatToResponses().stream("chat-model", random.nextBoolean());
      List<String> sent = new ArrayList<>();
      List<Buffer> out = new ArrayList<>();
      try {
        int n = random.nextInt(14);
        for (int k = 0; k < n; k++) {
          JsonObject e = responsesEvent(random);
          String data = e == null ? (random.nextBoolean() ? "{broken" : "[DONE]") : e.encode();
          sent.add(data);
          translator.onEvent(e == null ? null : e.getString("type"), Buffer.buffer(data), out);
        }
        end(translator, random, "event", out);
        translator.usage();
        ChatChunkCheck check = ChatChunkCheck.replay(out);
        long ends = out.stream().map(b -> b.toString(StandardCharsets.UTF_8))
            .filter(s -> s.equals("data: [DONE]\n\n") || s.startsWith("data: {\"error\"")).count();
        assertEquals(1, ends, "exactly one [DONE] or error");
        if (!check.ended()) throw new AssertionError("not ended");
      } catch (Throwable t) {
        fail("iteration " + i + " failed on " + sent + ": " + t, t);
      }
    }
  }

  /** Ends the upstream one of the ways it can end, then keeps talking: nothing more may come out. */
  private static void end(StreamTranslator t, Random r, String kind, List<Buffer> out) {
    switch (r.nextInt(4)) {
      case 0 -> t.onError("upstream reset", out);
      case 1 -> {
        t.onEvent(null, Buffer.buffer("[DONE]"), out);
        t.onEnd(out);
      }
      default -> t.onEnd(out);
    }
    int before = out.size();
    t.onEvent(null, Buffer.buffer("{\"choices\":[{\"delta\":{\"content\":\"late\"}}]}"), out);
    t.onEvent("response.output_text.delta", Buffer.buffer("{\"type\":\"response.output_text.delta\",\"delta\":\"late\"}"), out);
    t.onEnd(out);
    t.onError("again", out);
    assertEquals(before, out.size(), "output after the " + kind + " stream ended");
  }

  private static long terminals(ResponsesStreamCheck check) {
    return check.events.stream().map(e -> e.getString("type"))
        .filter(t -> t.equals("response.completed") || t.equals("response.incomplete") || t.equals("response.failed")).count();
  }

  private static String chatChunk(Random r) {
    return switch (r.nextInt(16)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> "{not json";
      case 3 -> r.nextBoolean() ? "[1,2]" : "42";
      case 4 -> "{\"error\":" + (r.nextBoolean() ? "{\"message\":\"boom\",\"type\":\"rate_limit_error\"}" : "\"plain\"") + "}";
      case 5 -> base().put("choices", new JsonArray()).put("usage", usage(r)).encode();
      case 6 -> base().put("choices", r.nextBoolean() ? "x" : null).put("usage", r.nextBoolean() ? "nope" : null).encode();
      case 7 -> withDelta(r, new JsonObject().put("content", text(r))).encode();
      case 8 -> withDelta(r, new JsonObject().put("reasoning_content", text(r))).encode();
      case 9 -> withDelta(r, new JsonObject().put("refusal", text(r))).encode();
      case 10, 11, 12 -> withDelta(r, new JsonObject().put("tool_calls", new JsonArray().add(toolCall(r)))).encode();
      case 13 -> withDelta(r, new JsonObject().put("tool_calls", r.nextBoolean() ? "x" : new JsonArray().add(1))).encode();
      case 14 -> {
        String[] reasons = {"stop", "length", "tool_calls", "content_filter", "function_call", "weird", ""};
        JsonObject c = withDelta(r, new JsonObject());
        c.getJsonArray("choices").getJsonObject(0).put("finish_reason", reasons[r.nextInt(reasons.length)]);
        if (r.nextBoolean()) c.put("usage", usage(r));
        yield c.encode();
      }
      default -> base().put("choices", new JsonArray().add(new JsonObject().put("index", r.nextInt(3))
          .put("delta", r.nextBoolean() ? "str" : new JsonObject().put("content", 5)))).encode();
    };
  }

  private static JsonObject responsesEvent(Random r) {
    String[] types = {"response.created", "response.in_progress", "response.output_text.delta", "response.refusal.delta",
        "response.reasoning_summary_text.delta", "response.output_item.added", "response.output_item.done",
        "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.completed",
        "response.incomplete", "response.done", "response.failed", "error", "response.web_search_call.searching", "unknown"};
    if (r.nextInt(12) == 0) return null;
    String type = types[r.nextInt(types.length)];
    JsonObject e = new JsonObject().put("sequence_number", r.nextInt(50));
    if (r.nextInt(10) > 0) e.put("type", type);
    if (r.nextBoolean()) e.put("output_index", r.nextInt(4) - 1);
    if (r.nextBoolean()) e.put("item_id", "fc_" + r.nextInt(3));
    if (r.nextInt(3) > 0) e.put("delta", r.nextInt(6) == 0 ? 7 : text(r));
    if (r.nextBoolean()) e.put("arguments", r.nextBoolean() ? "{\"a\":1}" : null);
    if (r.nextBoolean()) {
      JsonObject item = new JsonObject().put("type", r.nextInt(3) == 0 ? "message" : "function_call");
      if (r.nextBoolean()) item.put("id", "fc_" + r.nextInt(3));
      if (r.nextBoolean()) item.put("call_id", "call_" + r.nextInt(3));
      if (r.nextBoolean()) item.put("name", r.nextBoolean() ? "f" : 3);
      if (r.nextBoolean()) item.put("arguments", r.nextBoolean() ? "{\"a\":" : "{\"a\":1}");
      e.put("item", r.nextInt(8) == 0 ? "oops" : item);
    }
    if (r.nextBoolean()) {
      JsonObject response = new JsonObject().put("id", "resp_" + r.nextInt(3))
          .put("status", new String[] {"completed", "incomplete", "failed", "in_progress"}[r.nextInt(4)]);
      if (r.nextBoolean()) response.put("usage", r.nextBoolean() ? new JsonObject().put("input_tokens", r.nextInt(90) - 3)
          .put("output_tokens", r.nextInt(9)).put("input_tokens_details", new JsonObject().put("cached_tokens", r.nextInt(200))) : "x");
      if (r.nextBoolean()) response.put("incomplete_details", new JsonObject().put("reason", r.nextBoolean() ? "content_filter" : "max_output_tokens"));
      if (r.nextBoolean()) response.put("error", r.nextBoolean() ? new JsonObject().put("code", "server_error").put("message", "x") : "bad");
      e.put("response", r.nextInt(8) == 0 ? "oops" : response);
    }
    return e;
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
    if (r.nextInt(3) == 0) function.put("name", r.nextBoolean() ? new String[] {"f0", "ns__f1", "f2"}[r.nextInt(3)] : "");
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
