package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The direction's contract beyond the fixtures: registration keys, options, ids, and what an SDK rebuilds from the chunks. */
class ChatToAnthropicTest {

  @Test
  void translatesChatClientsToAnthropicUpstreams() {
    ChatToAnthropic t = new ChatToAnthropic();
    assertEquals(Protocol.OPENAI_CHAT, t.client());
    assertEquals(Protocol.ANTHROPIC_MESSAGES, t.upstream());
  }

  @Test
  void theDefaultMaxTokensIsConfigurable() {
    ChatToAnthropic t = new ChatToAnthropic(32000, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), () -> "id");
    JsonObject req = new JsonObject("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(32000, t.request(req, "claude-opus-4-1").getInteger("max_tokens"));
    assertEquals("claude-opus-4-1", t.request(req, "claude-opus-4-1").getString("model"));
  }

  @Test
  void theUsageChunkIsOnlyForClientsThatAskedForIt() {
    assertTrue(ChatToAnthropic.wantsUsage(new JsonObject("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}")));
    assertFalse(ChatToAnthropic.wantsUsage(new JsonObject("{\"stream\":true,\"stream_options\":null}")));
    assertFalse(ChatToAnthropic.wantsUsage(new JsonObject("{\"stream\":true}")));
    List<Buffer> out = new ArrayList<>();
    StreamTranslator plain = ChatToAnthropicFixtures.translation().stream("gpt-4o");
    ChatToAnthropicFixtures.feed(plain, ChatToAnthropicFixtures.text(ChatToAnthropicFixtures.files("stream", "usage-chunk-with-cache-read-and-write.sse").get(0)), out);
    JsonArray chunks = ChatToAnthropicFixtures.parse(out);
    for (int i = 0; i < chunks.size() - 1; i++) {
      assertFalse(chunks.getJsonObject(i).containsKey("usage"), "no usage anywhere: " + chunks.getValue(i));
    }
    assertEquals(new Usage(305, 30, 200, 0).withCacheWrites(100, 0), plain.usage(), "the gateway still learns the usage");
  }

  @Test
  void chunksAreWrittenInOpenAisFieldOrderAsOneDataRecordEach() {
    List<Buffer> out = new ArrayList<>();
    StreamTranslator s = ChatToAnthropicFixtures.translation().stream("gpt-4o", true);
    s.onEvent("message_start", Buffer.buffer("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":3}}}"), out);
    s.onEvent("message_stop", Buffer.buffer("{\"type\":\"message_stop\"}"), out);
    String head = "data: {\"id\":\"chatcmpl-msg_1\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o\",";
    assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
        + "\"finish_reason\":null}],\"usage\":null}\n\n", out.get(0).toString());
    assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
        out.get(1).toString());
    assertEquals(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0,\"total_tokens\":3,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"cache_write_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n", out.get(2).toString());
    assertEquals("data: [DONE]\n\n", out.get(3).toString());
  }

  @Test
  void noUsageIsReportedBeforeTheUpstreamSaysAnything() {
    StreamTranslator s = ChatToAnthropicFixtures.translation().stream("gpt-4o", true);
    assertNull(s.usage());
    s.onEvent("ping", Buffer.buffer("{\"type\":\"ping\"}"), new ArrayList<>());
    assertNull(s.usage());
  }

  @Test
  void toolIdsAreKeptWhenValidAndOtherwiseCleanedWithoutCollisions() {
    assertEquals("call_Abc-9", ChatToAnthropicMessages.toolId("call_Abc-9"));
    String dotted = ChatToAnthropicMessages.toolId("call.1");
    String colon = ChatToAnthropicMessages.toolId("call:1");
    assertTrue(dotted.matches("[A-Za-z0-9_-]+") && colon.matches("[A-Za-z0-9_-]+"));
    assertNotEquals(dotted, colon);
    assertNotEquals("call_1", dotted);
    assertEquals(dotted, ChatToAnthropicMessages.toolId("call.1"), "the same id maps the same way for call and result");
  }

  /** What openai-python's delta accumulator rebuilds: strings concatenated, lists merged by index. */
  @Test
  void anSdkAccumulatorRebuildsTheMessageWithoutDoubledIdsOrNames() {
    List<Buffer> out = new ArrayList<>();
    StreamTranslator s = ChatToAnthropicFixtures.translation().stream("gpt-4o", true);
    ChatToAnthropicFixtures.feed(s, ChatToAnthropicFixtures.text(ChatToAnthropicFixtures.files("stream", "thinking-text-and-tool-call.sse").get(0)), out);
    s.onEnd(out);
    JsonObject message = new JsonObject();
    String finish = null;
    JsonArray chunks = ChatToAnthropicFixtures.parse(out);
    for (int i = 0; i < chunks.size() - 1; i++) {
      JsonArray choices = chunks.getJsonObject(i).getJsonArray("choices");
      if (choices.isEmpty()) continue;
      accumulate(message, choices.getJsonObject(0).getJsonObject("delta"));
      if (choices.getJsonObject(0).getValue("finish_reason") instanceof String f) finish = f;
    }
    assertEquals("tool_calls", finish);
    assertEquals("assistant", message.getString("role"));
    assertEquals("Let me check.", message.getString("content"));
    assertEquals("User wants Oslo weather.", message.getString("reasoning_content"));
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("toolu_01Xy", call.getString("id"));
    assertEquals("get_weather", call.getJsonObject("function").getString("name"));
    assertEquals(new JsonObject().put("city", "Oslo"), new JsonObject(call.getJsonObject("function").getString("arguments")));
    assertEquals("EqQBCkgIARAB", message.getJsonArray("thinking_blocks").getJsonObject(0).getString("signature"));
  }

  private static void accumulate(JsonObject acc, JsonObject delta) {
    for (Map.Entry<String, Object> e : delta) {
      String key = e.getKey();
      Object value = e.getValue();
      Object current = acc.getValue(key);
      if (current == null || "index".equals(key) || "type".equals(key)) {
        acc.put(key, value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value);
      } else if (current instanceof String c && value instanceof String v) {
        acc.put(key, c + v);
      } else if (current instanceof JsonObject c && value instanceof JsonObject v) {
        accumulate(c, v);
      } else if (current instanceof JsonArray c && value instanceof JsonArray v) {
        for (Object o : v) {
          JsonObject entry = (JsonObject) o;
          int index = entry.getInteger("index");
          if (index < c.size()) accumulate(c.getJsonObject(index), entry);
          else c.add(entry.copy());
        }
      }
    }
  }
}
