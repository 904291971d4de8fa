package dev.switchboard.translate.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.anthropic.ChatToAnthropic;
import dev.switchboard.translate.anthropic.MessagesToChat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two directions' contracts beyond the fixtures: registration keys, URLs, exact bytes, and Chat as the pivot. */
class GeminiDirectionsTest {

  @Test
  void eachDirectionNamesItsProtocols() {
    assertEquals(Protocol.OPENAI_CHAT, new ChatToGemini().client());
    assertEquals(Protocol.GEMINI, new ChatToGemini().upstream());
    assertEquals(Protocol.GEMINI, new GeminiToChat().client());
    assertEquals(Protocol.OPENAI_CHAT, new GeminiToChat().upstream());
  }

  @Test
  void theGeminiModelAndStreamModeGoInTheUrlNotTheBody() {
    assertEquals("/v1beta/models/gemini-2.5-flash:generateContent", ChatToGemini.path("gemini-2.5-flash", false));
    assertEquals("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", ChatToGemini.path("models/gemini-2.5-flash", true));
    JsonObject body = GeminiFixtures.chatToGemini().request(new JsonObject("{\"model\":\"x\",\"stream\":true,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"hi\"}]}"), "gemini-2.5-flash");
    assertFalse(body.containsKey("model") || body.containsKey("stream") || body.containsKey("stream_options"), body.encode());
  }

  @Test
  void chatChunksAreWrittenInOpenAisFieldOrderAsOneDataRecordEach() {
    List<Buffer> out = new ArrayList<>();
    StreamTranslator s = GeminiFixtures.chatToGemini().stream("gpt-4o", true);
    s.onEvent(null, Buffer.buffer("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1},\"responseId\":\"r1\"}"), out);
    s.onEnd(out);
    String head = "data: {\"id\":\"chatcmpl-r1\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"gpt-4o\",";
    assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
        + "\"finish_reason\":null}],\"usage\":null}\n\n", out.get(0).toString());
    assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
        out.get(1).toString());
    assertEquals(head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
        out.get(2).toString());
    assertEquals(head + "\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n", out.get(3).toString());
    assertEquals("data: [DONE]\n\n", out.get(4).toString());
    assertEquals(5, out.size());
  }

  @Test
  void withoutIncludeUsageNoChunkMentionsUsageButTheGatewayStillLearnsIt() {
    List<Buffer> out = new ArrayList<>();
    StreamTranslator s = GeminiFixtures.chatToGemini().stream("gpt-4o");
    s.onEvent(null, Buffer.buffer("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":3,\"cachedContentTokenCount\":2,\"candidatesTokenCount\":1,\"thoughtsTokenCount\":4}}"), out);
    s.onEnd(out);
    out.forEach(b -> assertFalse(b.toString().contains("usage"), b.toString()));
    assertEquals(new Usage(3, 5, 2, 4), s.usage());
  }

  @Test
  void noUsageIsReportedBeforeTheUpstreamSaysAnything() {
    assertNull(GeminiFixtures.chatToGemini().stream("m", true).usage());
    assertNull(GeminiFixtures.geminiToChat().stream("m").usage());
  }

  @Test
  void geminiEventsAreOneDataRecordWithAWholeResponseEach() {
    List<Buffer> out = new ArrayList<>();
    StreamTranslator s = GeminiFixtures.geminiToChat().stream("gemini-alias");
    s.onEvent(null, Buffer.buffer("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}"), out);
    s.onEvent(null, Buffer.buffer("{\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}"), out);
    assertEquals("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]},\"index\":0}],"
        + "\"modelVersion\":\"gemini-alias\",\"responseId\":\"c1\"}\n\n", out.get(0).toString());
    assertEquals("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,\"totalTokenCount\":4},"
        + "\"modelVersion\":\"gemini-alias\",\"responseId\":\"c1\"}\n\n", out.get(1).toString());
    s.onEvent(null, Buffer.buffer("[DONE]"), out);
    s.onEnd(out);
    assertEquals(2, out.size(), "the finishing event is the end: Gemini has no terminator");
  }

  @Test
  void chatIsThePivotGeminiClientsReachAnAnthropicUpstream() {
    JsonObject gemini = new JsonObject("{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},\"contents\":["
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"Weather?\"}]},"
        + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}]},"
        + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\",\"response\":{\"output\":\"4C\"}}}]}],"
        + "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":"
        + "{\"city\":{\"type\":\"STRING\"}}}}]}],\"generationConfig\":{\"maxOutputTokens\":300,\"thinkingConfig\":{\"thinkingBudget\":2048}}}");
    JsonObject chat = GeminiFixtures.geminiToChat().request(gemini, "claude-sonnet-4-5", true);
    JsonObject anthropic = new ChatToAnthropic().request(chat, "claude-sonnet-4-5");
    JsonArray messages = anthropic.getJsonArray("messages");
    assertEquals("Be brief.", anthropic.getJsonArray("system").getJsonObject(0).getString("text"));
    JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(0);
    assertEquals("tool_use", toolUse.getString("type"));
    assertEquals(new JsonObject().put("city", "Oslo"), toolUse.getJsonObject("input"));
    JsonObject result = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertEquals(toolUse.getString("id"), result.getString("tool_use_id"));
    assertEquals("4C", result.getString("content"));
    assertEquals("string", anthropic.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema")
        .getJsonObject("properties").getJsonObject("city").getString("type"));
  }

  @Test
  void chatIsThePivotAnthropicClientsReachAGeminiUpstream() {
    JsonObject anthropic = new JsonObject("{\"model\":\"claude\",\"max_tokens\":100,\"system\":\"Be brief.\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"4C\"}]}]}");
    JsonObject chat = new MessagesToChat().request(anthropic, "gemini-2.5-flash");
    JsonObject gemini = GeminiFixtures.chatToGemini().request(chat, "gemini-2.5-flash");
    JsonArray contents = gemini.getJsonArray("contents");
    assertEquals("get_weather", contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0).getJsonObject("functionCall").getString("name"));
    assertEquals(new JsonObject().put("name", "get_weather").put("response", new JsonObject().put("output", "4C")),
        contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0).getJsonObject("functionResponse"));
    assertEquals(100, gemini.getJsonObject("generationConfig").getInteger("maxOutputTokens"));
  }

  @Test
  void aGeminiClientsUrlSaysTheModelAndTheMode() {
    assertEquals(new GeminiPath("gemini-2.5-flash", false), GeminiPath.parse("/v1beta/models/gemini-2.5-flash:generateContent"));
    assertEquals(new GeminiPath("gemini-2.5-pro", true), GeminiPath.parse("/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&key=k"));
    assertNull(GeminiPath.parse("/v1beta/models/gemini-2.5-pro:countTokens"));
    assertNull(GeminiPath.parse("/v1beta/models/:generateContent"));
    assertNull(GeminiPath.parse("/v1/chat/completions"));
    assertNull(GeminiPath.parse(null));
  }

  @Test
  void aGeminiRetryInfoBecomesARetryAfterInSeconds() {
    JsonObject body = new JsonObject("{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"details\":["
        + "{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\"},"
        + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"21.3s\"}]}}");
    assertEquals(22, ChatToGemini.retryAfterSeconds(body));
    assertEquals(22, ChatToGemini.retryAfterSeconds(new JsonObject().put("wrapped", 1).put("error", body.getJsonObject("error"))));
    assertEquals(-1, ChatToGemini.retryAfterSeconds(new JsonObject("{\"error\":{\"code\":429}}")));
    assertEquals(-1, ChatToGemini.retryAfterSeconds(new JsonObject("{\"error\":{\"details\":[{\"@type\":\"google.rpc.RetryInfo\","
        + "\"retryDelay\":\"soon\"}]}}")));
  }

  @Test
  void streamsComposeThroughChatAnthropicUpstreamToGeminiClient() throws Exception {
    String anthropicSse = Files.readString(Path.of(GeminiDirectionsTest.class
        .getResource("/fixtures/chat-to-anthropic/stream/thinking-text-and-tool-call.sse").toURI()));
    StreamTranslator inner = new ChatToAnthropic().stream("gemini-alias", true); // the Gemini client is owed usage
    StreamTranslator outer = GeminiFixtures.geminiToChat().stream("gemini-alias");
    List<Buffer> chat = new ArrayList<>();
    GeminiFixtures.feed(inner, anthropicSse, chat);
    inner.onEnd(chat);
    List<Buffer> gemini = new ArrayList<>();
    relay(chat, outer, gemini);
    GeminiClientReplay replay = GeminiClientReplay.of(gemini);
    assertEquals("Let me check.", replay.text.toString());
    assertEquals("User wants Oslo weather.", replay.thoughts.toString());
    assertEquals(new JsonObject().put("city", "Oslo"), replay.functionCalls.getJsonObject(0).getJsonObject("args"));
    assertEquals(768, replay.usage.getInteger("cachedContentTokenCount"));
  }

  @Test
  void streamsComposeThroughChatGeminiUpstreamToAnthropicClient() {
    StreamTranslator inner = GeminiFixtures.chatToGemini().stream("claude-alias", true);
    StreamTranslator outer = new MessagesToChat().stream("claude-alias");
    List<Buffer> chat = new ArrayList<>();
    inner.onEvent(null, Buffer.buffer("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Checking.\"},"
        + "{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":20,\"cachedContentTokenCount\":5,\"candidatesTokenCount\":7},\"responseId\":\"r1\"}"), chat);
    inner.onEnd(chat);
    List<Buffer> anthropic = new ArrayList<>();
    relay(chat, outer, anthropic);
    String events = String.join("", anthropic.stream().map(Buffer::toString).toList());
    assertTrue(events.contains("\"type\":\"tool_use\""), events);
    assertTrue(events.contains("\"stop_reason\":\"tool_use\""), events);
    assertTrue(events.contains("\"cache_read_input_tokens\":5"), events);
    assertTrue(events.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), events);
  }

  /** What the edge does between two translators: the inner one's client events are the outer one's upstream events. */
  private static void relay(List<Buffer> events, StreamTranslator outer, List<Buffer> out) {
    for (Buffer b : events) {
      String s = b.toString();
      outer.onEvent(null, Buffer.buffer(s.substring("data: ".length(), s.length() - 2)), out);
    }
    outer.onEnd(out);
  }
}
