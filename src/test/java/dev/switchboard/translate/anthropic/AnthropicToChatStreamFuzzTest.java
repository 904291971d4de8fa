package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Random, reordered, truncated and malformed Anthropic event sequences never make the
 * translator throw, and every client stream it writes is one the OpenAI SDK accepts: one
 * terminal event ({@code [DONE]} after a finish chunk, or an error) and nothing after it, the
 * role once and first, dense tool-call indexes with id and name only in their first delta.
 */
class AnthropicToChatStreamFuzzTest {

  private static final int ITERATIONS = 1500;
  private static final String[] TYPES = {"message_start", "content_block_start", "content_block_delta", "content_block_stop",
      "message_delta", "message_stop", "ping", "error", "mystery"};

  @Test
  void anySequenceOfUpstreamEventsEndsTheClientStreamProperly() {
    Random random = new Random(20261122L);
    int completed = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      long seed = random.nextLong();
      Random r = new Random(seed);
      AnthropicToChatStream stream = ChatToAnthropicFixtures.translation().stream("gpt-4o", r.nextBoolean());
      List<Buffer> out = new ArrayList<>();
      int events = r.nextInt(40);
      for (int e = 0; e < events; e++) {
        String type = TYPES[r.nextInt(TYPES.length)];
        stream.onEvent(r.nextInt(10) == 0 ? null : type, Buffer.buffer(payload(r, type)), out);
      }
      switch (r.nextInt(3)) {
        case 0 -> stream.onEnd(out);
        case 1 -> stream.onError("The upstream connection was lost.", out);
        default -> {
          stream.onEnd(out);
          stream.onError("late", out);
        }
      }
      int terminal = out.size();
      stream.onEvent("message_stop", Buffer.buffer("{\"type\":\"message_stop\"}"), out);
      stream.onEnd(out);
      assertEquals(terminal, out.size(), () -> "nothing after the end, seed " + seed);
      JsonArray chunks = ChatToAnthropicFixtures.parse(out);
      check(chunks, seed);
      if ("[DONE]".equals(chunks.getValue(chunks.size() - 1))) completed++;
      stream.usage();
    }
    assertTrue(completed > ITERATIONS / 20 && completed < ITERATIONS - ITERATIONS / 20, "both endings exercised: " + completed);
  }

  private static void check(JsonArray chunks, long seed) {
    Supplier<String> at = () -> "seed " + seed + ": " + chunks.encode();
    assertFalse(chunks.isEmpty(), at);
    Object last = chunks.getValue(chunks.size() - 1);
    boolean done = "[DONE]".equals(last);
    assertTrue(done || (last instanceof JsonObject o && o.getValue("error") instanceof JsonObject), at);
    Set<Integer> toolIndexes = new HashSet<>();
    String id = null;
    boolean finished = false;
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertTrue(chunks.getValue(i) instanceof JsonObject, at);
      JsonObject c = chunks.getJsonObject(i);
      assertNull(c.getValue("error"), () -> "an error only at the end, " + at.get());
      if (id == null) id = c.getString("id");
      assertEquals(id, c.getString("id"), at);
      assertEquals(ChatToAnthropicFixtures.CREATED, c.getLong("created"), at);
      assertEquals("gpt-4o", c.getString("model"), at);
      JsonArray choices = c.getJsonArray("choices");
      if (choices.isEmpty()) {
        assertTrue(finished && c.getValue("usage") instanceof JsonObject, () -> "usage chunk after the finish, " + at.get());
        continue;
      }
      assertFalse(finished, () -> "no content after the finish chunk, " + at.get());
      JsonObject choice = choices.getJsonObject(0);
      JsonObject delta = choice.getJsonObject("delta");
      assertEquals(i == 0, delta.containsKey("role"), () -> "role in the first chunk only, " + at.get());
      finished = choice.getValue("finish_reason") != null;
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        JsonObject call = calls.getJsonObject(0);
        int index = call.getInteger("index");
        boolean first = toolIndexes.add(index);
        assertEquals(first, call.containsKey("id"), () -> "id in the first delta of a call only, " + at.get());
        assertEquals(first, call.getJsonObject("function").containsKey("name"), () -> "name once, " + at.get());
        if (first) assertEquals(toolIndexes.size() - 1, index, () -> "dense tool indexes, " + at.get());
      }
    }
    if (done) assertTrue(finished, () -> "[DONE] follows a finish chunk, " + at.get());
  }

  private static String payload(Random r, String type) {
    switch (r.nextInt(12)) {
      case 0 -> {
        return "{\"type\":\"" + type + "\",\"index\":";
      }
      case 1 -> {
        return r.nextBoolean() ? "" : "[1,2]";
      }
      case 2 -> {
        return "{\"type\":\"" + type + "\",\"index\":\"0\",\"delta\":7,\"content_block\":null,\"message\":[],\"usage\":\"x\"}";
      }
      default -> { }
    }
    int index = r.nextInt(4) - (r.nextInt(8) == 0 ? 1 : 0);
    JsonObject e = new JsonObject().put("type", type);
    switch (type) {
      case "message_start" -> e.put("message", new JsonObject().put("id", "msg_" + r.nextInt(3))
          .put("usage", new JsonObject().put("input_tokens", r.nextInt(100)).put("output_tokens", 1)));
      case "content_block_start" -> e.put("index", index).put("content_block", block(r));
      case "content_block_delta" -> e.put("index", index).put("delta", delta(r));
      case "content_block_stop" -> e.put("index", index);
      case "message_delta" -> e.put("delta", new JsonObject().put("stop_reason",
          new String[] {"end_turn", "tool_use", "max_tokens", "refusal", "weird"}[r.nextInt(5)]))
          .put("usage", new JsonObject().put("output_tokens", r.nextInt(50)));
      case "error" -> e.put("error", new JsonObject().put("type", "overloaded_error").put("message", "Overloaded"));
      default -> { }
    }
    return e.encode();
  }

  private static JsonObject block(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> new JsonObject().put("type", "text").put("text", r.nextBoolean() ? "" : "pre");
      case 1 -> new JsonObject().put("type", "thinking").put("thinking", "").put("signature", "");
      case 2 -> new JsonObject().put("type", "redacted_thinking").put("data", "EmwK");
      case 3 -> new JsonObject().put("type", "tool_use").put("id", "toolu_" + r.nextInt(9)).put("name", "f")
          .put("input", r.nextBoolean() ? new JsonObject() : new JsonObject().put("a", 1));
      default -> new JsonObject().put("type", "server_tool_use").put("id", "srvtoolu_1");
    };
  }

  private static JsonObject delta(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> new JsonObject().put("type", "text_delta").put("text", "t" + r.nextInt(9));
      case 1 -> new JsonObject().put("type", "thinking_delta").put("thinking", "th");
      case 2 -> new JsonObject().put("type", "signature_delta").put("signature", "sig");
      case 3 -> new JsonObject().put("type", "input_json_delta").put("partial_json", r.nextBoolean() ? "" : "{\"a\"");
      default -> new JsonObject().put("type", "citations_delta").put("citation", new JsonObject());
    };
  }
}
