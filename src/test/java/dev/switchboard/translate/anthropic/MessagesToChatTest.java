package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.TranslationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessagesToChatTest {

  private final MessagesToChat translation = MessagesToChatGoldenTest.translation();

  private static JsonObject user(String text) {
    return new JsonObject().put("role", "user").put("content", text);
  }

  private static JsonObject request(JsonObject... messages) {
    return new JsonObject().put("model", "claude").put("max_tokens", 64).put("messages", new JsonArray(List.of((Object[]) messages)));
  }

  @Test
  void translatesAnthropicClientsToChatUpstreams() {
    assertEquals(Protocol.ANTHROPIC_MESSAGES, translation.client());
    assertEquals(Protocol.OPENAI_CHAT, translation.upstream());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "400, invalid_request_error", "401, authentication_error", "402, billing_error", "403, permission_error",
    "404, not_found_error", "409, invalid_request_error", "413, request_too_large", "422, invalid_request_error",
    "429, rate_limit_error", "500, api_error", "502, api_error", "503, overloaded_error", "504, timeout_error",
    "529, overloaded_error"})
  void errorEnvelopeTypeFollowsTheStatusTableAndKeepsTheUpstreamMessage(int status, String type) {
    JsonObject upstream = new JsonObject().put("error", new JsonObject()
        .put("message", "upstream said\nno").put("type", "whatever").put("param", null).put("code", null));
    JsonObject body = translation.error(status, upstream);
    assertEquals(new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", "upstream said no")), body);
  }

  @Test
  void errorEnvelopeCopesWithEmptyAndOddBodies() {
    assertEquals("upstream overloaded", translation.error(503, new JsonObject()).getJsonObject("error").getString("message"));
    assertEquals("upstream error", translation.error(500, null).getJsonObject("error").getString("message"));
    assertEquals("bare", translation.error(400, new JsonObject().put("error", "bare")).getJsonObject("error").getString("message"));
    assertEquals("top", translation.error(400, new JsonObject().put("message", "top")).getJsonObject("error").getString("message"));
  }

  @Test
  void anEmptyBalanceIsABillingErrorNotARateLimit() {
    JsonObject quota = new JsonObject().put("error", new JsonObject().put("message", "You exceeded your current quota")
        .put("type", "insufficient_quota").put("code", "insufficient_quota"));
    assertEquals("billing_error", translation.error(429, quota).getJsonObject("error").getString("type"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "{\"status\":503}|overloaded_error", "{\"code\":429}|rate_limit_error", "{\"type\":\"server_error\",\"code\":\"overloaded\"}|overloaded_error",
    "{\"type\":\"service_unavailable\"}|overloaded_error", "{\"code\":\"rate_limit_exceeded\"}|rate_limit_error",
    "{\"type\":\"insufficient_quota\"}|billing_error", "{\"type\":\"request_timeout\"}|timeout_error",
    "{\"code\":\"context_length_exceeded\"}|invalid_request_error", "{\"message\":\"boom\"}|api_error"})
  void inStreamErrorTypesAreReadFromStatusCodeOrTypeHints(String error, String type) {
    assertEquals(type, ChatToMessagesErrors.streamType(new JsonObject(error)));
  }

  @Test
  void documentsChatCannotFetchAreRejected() {
    JsonObject url = new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject()
        .put("type", "document").put("source", new JsonObject().put("type", "url").put("url", "https://x/y.pdf"))));
    assertThrows(TranslationException.class, () -> translation.request(request(url), "m"));
    JsonObject noSource = new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject().put("type", "image")));
    assertThrows(TranslationException.class, () -> translation.request(request(noSource), "m"));
    JsonObject noData = new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject()
        .put("type", "image").put("source", new JsonObject().put("type", "base64"))));
    assertThrows(TranslationException.class, () -> translation.request(request(noData), "m"));
  }

  @Test
  void overloadIsShownToAnthropicClientsAs529() {
    assertEquals(529, MessagesToChat.clientStatus(503));
    assertEquals(429, MessagesToChat.clientStatus(429));
    assertEquals(500, MessagesToChat.clientStatus(500));
  }

  @ParameterizedTest(name = "budget {0} -> {1}")
  @CsvSource({"0, ", "1, minimal", "512, minimal", "513, low", "1024, low", "1025, medium", "8192, medium",
    "8193, high", "24576, high", "24577, xhigh", "128000, xhigh"})
  void thinkingBudgetMapsToEffortByTheCrossProtocolTable(long budget, String effort) {
    assertEquals(effort, MessagesToChatRequest.effortFor(budget));
    JsonObject out = translation.request(request(user("x"))
        .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", budget)), "m");
    assertEquals(effort, out.getValue("reasoning_effort"));
  }

  @Test
  void optionsSelectLegacyMaxTokensReasoningReplayAndNoEffort() {
    MessagesToChat legacy = new MessagesToChat(new MessagesToChat.Options(true, true, false, false), () -> "msg_x");
    JsonObject assistant = new JsonObject().put("role", "assistant").put("content", new JsonArray()
        .add(new JsonObject().put("type", "thinking").put("thinking", "hmm").put("signature", "sig"))
        .add(new JsonObject().put("type", "text").put("text", "ok")));
    JsonObject out = legacy.request(request(user("a"), assistant, user("b"))
        .put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 2048)), "m");
    assertNull(out.getValue("reasoning_effort"), "effort switched off for this upstream");
    assertEquals(64, out.getInteger("max_tokens"));
    assertNull(out.getValue("max_completion_tokens"));
    JsonObject replayed = out.getJsonArray("messages").getJsonObject(1);
    assertEquals(new JsonObject().put("role", "assistant").put("content", "ok").put("reasoning_content", "hmm"), replayed);
    assertTrue(!out.encode().contains("sig"), "signatures never go upstream");
  }

  @Test
  void requestsChatCannotCarryAreRejectedWithAClearMessage() {
    assertThrows(TranslationException.class, () -> translation.request(new JsonObject().put("max_tokens", 1), "m"));
    JsonObject fileImage = new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject()
        .put("type", "image").put("source", new JsonObject().put("type", "file").put("file_id", "f1"))));
    assertThrows(TranslationException.class, () -> translation.request(request(fileImage), "m"));
    JsonObject orphan = new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "tool_result").put("content", "x")));
    assertThrows(TranslationException.class, () -> translation.request(request(orphan), "m"));
    assertThrows(TranslationException.class, () -> translation.request(request(new JsonObject().put("role", "robot").put("content", "x")), "m"));
    JsonObject unknown = new JsonObject().put("role", "user").put("content", new JsonArray().add(new JsonObject().put("type", "hologram")));
    TranslationException e = assertThrows(TranslationException.class, () -> translation.request(request(unknown), "m"));
    assertTrue(e.getMessage().contains("hologram"));
    JsonObject tools = request(user("x")).put("tools", new JsonArray().add(new JsonObject().put("name", "t")))
        .put("tool_choice", new JsonObject().put("type", "tool"));
    assertThrows(TranslationException.class, () -> translation.request(tools, "m"));
  }

  @Test
  void theClientRequestIsNotModified() {
    JsonObject in = new JsonObject(MessagesToChatGoldenTest.read(
        java.nio.file.Paths.get("src/test/resources/fixtures/anthropic-to-chat/request/tool-round-trip.in.json")));
    JsonObject copy = in.copy();
    translation.request(in, "m");
    assertEquals(copy, in);
  }

  @Test
  void messageIdsComeFromTheUpstreamIdSoTheSameAnswerAlwaysMapsTheSame() {
    JsonObject answer = new JsonObject().put("id", "chatcmpl-abc.1").put("choices", new JsonArray());
    MessagesToChat other = new MessagesToChat();
    assertEquals("msg_chatcmpl-abc_1", translation.response(answer, "c").getString("id"));
    assertEquals("msg_chatcmpl-abc_1", other.response(answer, "c").getString("id"));
    assertEquals("msg_kept", translation.response(answer.copy().put("id", "msg_kept"), "c").getString("id"));
    assertTrue(other.response(new JsonObject(), "c").getString("id").matches("msg_[0-9a-f]{32}"));
  }

  @Test
  void truncatedArgumentsAreRepairedAndHopelessOnesBecomeAnEmptyObject() {
    assertEquals(new JsonObject().put("a", "b"), ChatToMessagesArguments.input("{\"a\":\"b"));
    assertEquals(new JsonObject().put("a", 1), ChatToMessagesArguments.input("{\"a\":1,"));
    assertEquals(new JsonObject().put("a", 1), ChatToMessagesArguments.input("{\"a\":1,\"b\":"));
    assertEquals(new JsonObject(), ChatToMessagesArguments.input("{\"a\":"));
    assertEquals(new JsonObject().put("a", new JsonArray().add(1).add(new JsonObject().put("x", "y\\"))),
        ChatToMessagesArguments.input("{\"a\":[1,{\"x\":\"y\\\\\""));
    assertEquals(new JsonObject().put("p", "q\"r"), ChatToMessagesArguments.input("{\"p\":\"q\\\"r"));
    assertEquals(new JsonObject(), ChatToMessagesArguments.input("[1,2]"));
    assertEquals(new JsonObject(), ChatToMessagesArguments.input("nonsense"));
    assertEquals(new JsonObject(), ChatToMessagesArguments.input("{\"a\":1}}"));
    assertEquals(new JsonObject(), ChatToMessagesArguments.input(null));
    assertEquals(new JsonObject(), ChatToMessagesArguments.input("  "));
  }

  @Test
  void streamUsageIsTheLastReportedNeverASumAndNullBeforeAny() {
    StreamTranslator stream = translation.stream("c");
    List<Buffer> out = new ArrayList<>();
    assertNull(stream.usage());
    stream.onEvent(null, Buffer.buffer("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}],\"usage\":null}"), out);
    assertNull(stream.usage(), "usage:null is not a usage");
    stream.onEvent(null, Buffer.buffer("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}"), out);
    stream.onEvent(null, Buffer.buffer("{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":104,\"completion_tokens\":41,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":64},\"completion_tokens_details\":{\"reasoning_tokens\":7}}}"), out);
    assertEquals(new Usage(104, 41, 64, 7), stream.usage());
  }

  @Test
  void anUpstreamFailureMidStreamBecomesOneAnthropicErrorEvent() {
    StreamTranslator stream = translation.stream("c");
    List<Buffer> out = new ArrayList<>();
    stream.onEvent(null, Buffer.buffer("{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}"), out);
    stream.onError("upstream connection reset", out);
    stream.onError("again", out);
    stream.onEnd(out);
    assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream connection reset\"}}\n\n",
        out.get(out.size() - 1).toString());
    assertEquals(4, out.size(), "message_start, block start, delta, error");
    assertTrue(ChatToMessagesSdkAccumulator.replay(out).ended());
  }

  @Test
  void nothingFollowsMessageStop() {
    StreamTranslator stream = translation.stream("c");
    List<Buffer> out = new ArrayList<>();
    stream.onEvent(null, Buffer.buffer("[DONE]"), out);
    int size = out.size();
    stream.onEvent(null, Buffer.buffer("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"}}]}"), out);
    stream.onError("late", out);
    stream.onEnd(out);
    assertEquals(size, out.size());
    assertTrue(ChatToMessagesSdkAccumulator.replay(out).stopped);
  }

  @Test
  void bufferedModeSendsEachToolWholeAtTheFinishAndToleratesInterleavedArguments() {
    MessagesToChat buffered = new MessagesToChat(new MessagesToChat.Options(false, false, true, true), () -> "msg_b");
    String sse = MessagesToChatGoldenTest.read(java.nio.file.Paths.get(
        "src/test/resources/fixtures/anthropic-to-chat/stream/interleaved-tool-arguments.sse"));
    List<Buffer> out = MessagesToChatGoldenTest.run(buffered.stream("c"), sse);
    ChatToMessagesSdkAccumulator acc = ChatToMessagesSdkAccumulator.replay(out);
    assertTrue(acc.stopped);
    JsonArray content = acc.message.getJsonArray("content");
    assertEquals(2, content.size());
    assertEquals("{\"a\":1}", content.getJsonObject(0).getString("partial_json"));
    assertEquals("call_a", content.getJsonObject(0).getString("id"));
    assertEquals("{\"b\":2}", content.getJsonObject(1).getString("partial_json"));
    assertEquals("tool_use", acc.message.getString("stop_reason"));
  }
}
