package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseFunctionToolCall;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.TranslationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pitfalls of {@code pitfalls.md} that concern Responses, each named by its id, in both directions. */
class ResponsesPitfallsTest {

  private static List<Buffer> responsesStream(String fixture) {
    StreamTranslator s = ResponsesFixtures.responsesToChat().stream("codex-model");
    List<Buffer> out = new ArrayList<>();
    ResponsesFixtures.feed(s, ResponsesFixtures.text(sse("responses-to-chat", fixture)), out);
    s.onEnd(out);
    return out;
  }

  private static ChatChunkCheck chatStream(String fixture, boolean includeUsage) {
    StreamTranslator s = ResponsesFixtures.chatToResponses().stream("chat-model", includeUsage);
    List<Buffer> out = new ArrayList<>();
    ResponsesFixtures.feed(s, ResponsesFixtures.text(sse("chat-to-responses", fixture)), out);
    s.onEnd(out);
    return ChatChunkCheck.replay(out);
  }

  private static Path sse(String direction, String name) {
    return ResponsesFixtures.files(direction, "stream", name + ".sse").get(0);
  }

  @Test
  void p4_theCompletedEventCarriesTheWholeOutputAndUsageTheSdkReturns() {
    ResponsesStreamCheck check = ResponsesStreamCheck.replay(responsesStream("reasoning-text-and-parallel-tool-calls"));
    assertEquals("response.created", check.events.get(0).getString("type"));
    Response sdk = check.sdkResponse;
    assertEquals(4, sdk.output().size(), "reasoning, message and two calls");
    assertEquals("Checking both.", sdk.output().get(1).asMessage().content().get(0).asOutputText().text());
    ResponseFunctionToolCall call = sdk.output().get(2).asFunctionCall();
    assertEquals("call_a", call.callId());
    assertEquals(new JsonObject().put("city", "Oslo"), new JsonObject(call.arguments()));
    assertEquals(812, sdk.usage().get().inputTokens());
    assertEquals(768, sdk.usage().get().inputTokensDetails().cachedTokens());
    assertEquals(24, sdk.usage().get().outputTokensDetails().reasoningTokens());
  }

  @Test
  void p4_theStreamCheckItselfRejectsSparseIndexesAndFallingSequenceNumbers() {
    ResponsesEvents events = new ResponsesEvents();
    List<Buffer> out = new ArrayList<>();
    out.add(events.event("response.created", new JsonObject().put("response",
        ResponsesObjects.response("resp_1", 1, "m", "in_progress"))));
    out.add(events.event("response.output_item.added", new JsonObject().put("output_index", 1)
        .put("item", ResponsesObjects.message("msg_1", "in_progress", new JsonArray()))));
    assertThrows(AssertionError.class, () -> ResponsesStreamCheck.replay(out), "output_index 1 before 0");
    List<Buffer> backwards = new ArrayList<>(out.subList(0, 1));
    backwards.add(Buffer.buffer("event: response.in_progress\ndata: {\"type\":\"response.in_progress\",\"sequence_number\":0,\"response\":"
        + ResponsesObjects.response("resp_1", 1, "m", "in_progress").encode() + "}\n\n"));
    assertThrows(AssertionError.class, () -> ResponsesStreamCheck.replay(backwards), "sequence_number repeated");
  }

  @Test
  void p2_theChatClientGetsEachCallsIdAndNameOnceAndTheSdkRebuildsThem() {
    ChatChunkCheck check = chatStream("reasoning-text-and-interleaved-parallel-calls", true);
    List<ChatCompletionMessageToolCall> calls = check.sdkCompletion.choices().get(0).message().toolCalls().get();
    assertEquals("call_a", calls.get(0).asFunction().id());
    assertEquals("get_weather", calls.get(0).asFunction().function().name());
    assertEquals("Checking both.", check.sdkCompletion.choices().get(0).message().content().get());
  }

  @Test
  void p5_interleavedParallelCallsKeepTheirOwnIndexInBothDirections() {
    ChatChunkCheck chat = chatStream("reasoning-text-and-interleaved-parallel-calls", true);
    List<ChatCompletionMessageToolCall> calls = chat.sdkCompletion.choices().get(0).message().toolCalls().get();
    assertEquals(new JsonObject().put("city", "Oslo"), new JsonObject(calls.get(0).asFunction().function().arguments()));
    assertEquals(new JsonObject().put("tz", "CET"), new JsonObject(calls.get(1).asFunction().function().arguments()));
    Response sdk = ResponsesStreamCheck.replay(responsesStream("reasoning-text-and-parallel-tool-calls")).sdkResponse;
    assertEquals(new JsonObject().put("tz", "CET"), new JsonObject(sdk.output().get(3).asFunctionCall().arguments()));
  }

  @Test
  void p6_argumentsBeforeIdAndNameWaitForTheItemToBeAdded() {
    ResponsesStreamCheck check = ResponsesStreamCheck.replay(responsesStream("arguments-before-id-and-name"));
    List<String> types = check.events.stream().map(e -> e.getString("type")).toList();
    assertTrue(types.indexOf("response.output_item.added") < types.indexOf("response.function_call_arguments.delta"));
    assertEquals("{\"q\":1}", check.sdkResponse.output().get(0).asFunctionCall().arguments());
  }

  @Test
  void p7_theTerminalEventWaitsForTheUsageChunkAfterTheFinishChunk() {
    List<Buffer> out = new ArrayList<>();
    StreamTranslator s = ResponsesFixtures.responsesToChat().stream("m");
    s.onEvent(null, Buffer.buffer("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}],\"usage\":null}"), out);
    assertNull(s.usage(), "usage: null is no usage");
    s.onEvent(null, Buffer.buffer("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}"), out);
    assertFalse(ResponsesStreamCheck.replay(out).ended(), "no terminal event before the usage chunk");
    s.onEvent(null, Buffer.buffer("{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}"), out);
    ResponsesStreamCheck check = ResponsesStreamCheck.replay(out);
    assertEquals(9, check.terminal.getJsonObject("usage").getLong("input_tokens"));
    assertEquals(9, s.usage().input());
  }

  @Test
  void p8_aStreamThatStopsWithoutItsEndIsAnExplicitFailureAndResponseDoneIsAnEnd() {
    ResponsesStreamCheck responses = ResponsesStreamCheck.replay(responsesStream("eof-without-finish"));
    assertEquals("failed", responses.terminal.getString("status"));
    assertEquals("failed", responses.sdkResponse.status().get().asString());
    ChatChunkCheck ended = chatStream("arguments-only-in-done-and-response-done-terminal", false);
    assertTrue(ended.doneSeen && ended.error == null);
    ChatChunkCheck cut = chatStream("eof-without-terminal-event", true);
    assertFalse(cut.doneSeen);
    assertEquals("upstream_ended_early", cut.error.getString("code"));
  }

  @Test
  void p9_midStreamErrorsTravelInBand() {
    ResponsesStreamCheck responses = ResponsesStreamCheck.replay(responsesStream("error-chunk-mid-stream"));
    assertEquals("rate_limit_exceeded", responses.terminal.getJsonObject("error").getString("code"));
    ChatChunkCheck chat = chatStream("response-failed", false);
    assertEquals("rate_limit_error", chat.error.getString("type"));
    assertEquals("Slow down.", chat.error.getString("message"));
  }

  @Test
  void p11_toolOutputsFollowTheirCallAndAMessageInBetweenWaits() {
    JsonArray messages = ResponsesFixtures.responsesToChat().request(ResponsesFixtures.json(
        ResponsesFixtures.files("responses-to-chat", "request", "user-message-between-call-and-output-deferred.json").get(0))
        .getJsonObject("in"), "m").getJsonArray("messages");
    assertEquals("assistant", messages.getJsonObject(1).getString("role"));
    assertEquals("tool", messages.getJsonObject(2).getString("role"));
    assertEquals("developer", messages.getJsonObject(3).getString("role"));
  }

  @Test
  void p12_callsWithoutAnIdStillGetANonEmptyUniqueOne() {
    List<Buffer> out = new ArrayList<>();
    StreamTranslator s = ResponsesFixtures.responsesToChat().stream("m");
    for (int k = 0; k < 2; k++) {
      s.onEvent(null, Buffer.buffer("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":" + k
          + ",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}"), out);
    }
    s.onEvent(null, Buffer.buffer("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}"), out);
    s.onEnd(out);
    Response sdk = ResponsesStreamCheck.replay(out).sdkResponse;
    String first = sdk.output().get(0).asFunctionCall().callId();
    String second = sdk.output().get(1).asFunctionCall().callId();
    assertFalse(first.isEmpty());
    assertFalse(first.equals(second));
  }

  @Test
  void p14_systemAndDeveloperItemsKeepTheirRoleOrderAndPlace() {
    JsonArray messages = ResponsesFixtures.responsesToChat().request(new JsonObject("{\"input\":["
        + "{\"role\":\"developer\",\"content\":\"D1\"},{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"system\",\"content\":\"S2\"}],"
        + "\"instructions\":\"I0\"}"), "m").getJsonArray("messages");
    assertEquals(List.of("system:I0", "developer:D1", "user:u", "system:S2"), messages.stream()
        .map(o -> ((JsonObject) o).getString("role") + ":" + ((JsonObject) o).getString("content")).toList());
  }

  @Test
  void p25_theFinishReasonFollowsWhatTheClientWasSent() {
    JsonObject toolCallsWithoutCall = new JsonObject("{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"},"
        + "\"finish_reason\":\"tool_calls\"}]}");
    JsonObject response = ResponsesFixtures.responsesToChat().response(toolCallsWithoutCall, "m");
    assertEquals("completed", response.getString("status"));
    assertEquals(1, response.getJsonArray("output").size(), "no function_call item was invented");
    JsonObject completion = ResponsesFixtures.chatToResponses().response(new JsonObject("{\"id\":\"resp_1\",\"status\":\"completed\","
        + "\"output\":[{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"}]}"), "m");
    assertEquals("tool_calls", completion.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    assertEquals("call_1", completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getJsonArray("tool_calls").getJsonObject(0).getString("id"), "the call_id, never the item id");
  }

  @Test
  void statelessGatewayRefusesPreviousResponseIdWithAMessageTheClientCanActOn() {
    TranslationException e = assertThrows(TranslationException.class, () -> ResponsesFixtures.responsesToChat()
        .request(new JsonObject("{\"input\":\"x\",\"previous_response_id\":\"resp_1\"}"), "m"));
    assertTrue(e.getMessage().contains("send the whole conversation"), e.getMessage());
    assertEquals(false, ResponsesFixtures.chatToResponses()
        .request(new JsonObject("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), "m").getBoolean("store"));
  }
}
