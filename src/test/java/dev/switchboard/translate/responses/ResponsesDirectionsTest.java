package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;

/** The two directions' contracts beyond the fixtures: registration keys, options, ids, usage reporting, statuses. */
class ResponsesDirectionsTest {

  private static final JsonObject HISTORY = new JsonObject("{\"max_output_tokens\":64,\"input\":["
      + "{\"role\":\"user\",\"content\":\"q\"},"
      + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"A\"},{\"type\":\"summary_text\",\"text\":\"B\"}]},"
      + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"},"
      + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"ok\"}]}");

  @Test
  void registrationKeys() {
    assertEquals(Protocol.OPENAI_RESPONSES, new ResponsesToChat().client());
    assertEquals(Protocol.OPENAI_CHAT, new ResponsesToChat().upstream());
    assertEquals(Protocol.OPENAI_CHAT, new ChatToResponses().client());
    assertEquals(Protocol.OPENAI_RESPONSES, new ChatToResponses().upstream());
  }

  @Test
  void optionsChooseTheMaxTokensNameAndWhetherReasoningIsReplayed() {
    JsonObject plain = ResponsesFixtures.responsesToChat().request(HISTORY, "m");
    assertEquals(64, plain.getInteger("max_completion_tokens"));
    assertFalse(plain.getJsonArray("messages").getJsonObject(1).containsKey("reasoning_content"));
    ResponsesToChat legacy = new ResponsesToChat(new ResponsesToChat.Options(true, true), Clock.systemUTC(), () -> "x");
    JsonObject replayed = legacy.request(HISTORY, "m");
    assertEquals(64, replayed.getInteger("max_tokens"));
    assertFalse(replayed.containsKey("max_completion_tokens"));
    assertEquals("A\n\nB", replayed.getJsonArray("messages").getJsonObject(1).getString("reasoning_content"));
  }

  @Test
  void reasoningSummariesAreAskedForOnlyWhenConfigured() {
    JsonObject chat = new JsonObject("{\"reasoning_effort\":\"high\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertEquals(new JsonObject().put("effort", "high"), ResponsesFixtures.chatToResponses().request(chat, "m").getJsonObject("reasoning"));
    ChatToResponses summaries = new ChatToResponses(new ChatToResponses.Options("auto"), Clock.systemUTC(), () -> "x");
    assertEquals(new JsonObject().put("effort", "high").put("summary", "auto"), summaries.request(chat, "m").getJsonObject("reasoning"));
    assertFalse(summaries.request(chat.copy().put("reasoning_effort", "none"), "m").getJsonObject("reasoning").containsKey("summary"));
  }

  @Test
  void idsComeFromTheUpstreamSoTheSameAnswerMapsTheSameWay() {
    JsonObject completion = new JsonObject("{\"id\":\"chatcmpl-XYZ\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}");
    ResponsesToChat a = new ResponsesToChat(ResponsesToChat.Options.DEFAULT, Clock.systemUTC(), () -> "one");
    ResponsesToChat b = new ResponsesToChat(ResponsesToChat.Options.DEFAULT, Clock.systemUTC(), () -> "two");
    assertEquals("resp_XYZ", a.response(completion, "m").getString("id"));
    assertEquals(a.response(completion, "m").getJsonArray("output"), b.response(completion, "m").getJsonArray("output"));
    JsonObject response = new JsonObject("{\"id\":\"resp_ABC\",\"status\":\"completed\",\"output\":[]}");
    assertEquals("chatcmpl-ABC", ResponsesFixtures.chatToResponses().response(response, "m").getString("id"));
  }

  @Test
  void chatClientsWithoutIncludeUsageGetNoUsageButTheGatewayStillLearnsIt() {
    StreamTranslator s = ResponsesFixtures.chatToResponses().stream("m");
    assertNull(s.usage(), "nothing reported before the upstream says anything");
    List<Buffer> out = new ArrayList<>();
    s.onEvent("response.created", Buffer.buffer("{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\"}}"), out);
    s.onEvent("response.completed", Buffer.buffer("{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\","
        + "\"usage\":{\"input_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens\":3,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":1}}}}"), out);
    JsonArray chunks = ResponsesFixtures.chatChunks(out);
    for (int i = 0; i < chunks.size() - 1; i++) assertFalse(chunks.getJsonObject(i).containsKey("usage"), chunks.getValue(i).toString());
    assertEquals("[DONE]", chunks.getValue(chunks.size() - 1));
    assertEquals(new dev.switchboard.stats.Usage(7, 3, 2, 1), s.usage());
  }

  @Test
  void responsesStreamsReportTheChatUsageTheUpstreamSent() {
    StreamTranslator s = new ResponsesToChat(ResponsesToChat.Options.DEFAULT,
        Clock.fixed(Instant.ofEpochSecond(5), ZoneOffset.UTC), () -> "x").stream("m");
    List<Buffer> out = new ArrayList<>();
    s.onEvent(null, Buffer.buffer("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":6},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}"), out);
    s.onEvent(null, Buffer.buffer("[DONE]"), out);
    assertEquals(new dev.switchboard.stats.Usage(11, 4, 6, 2), s.usage());
    assertEquals(5, ResponsesStreamCheck.replay(out).terminal.getLong("created_at"));
  }

  @Test
  void openAiClientsNeverSeeAnthropicsOverloadStatus() {
    assertEquals(503, ResponsesToChat.clientStatus(529));
    assertEquals(429, ResponsesToChat.clientStatus(429));
    assertTrue(new ResponsesToChat().error(429, null).getJsonObject("error").getString("message").contains("429"));
  }
}
