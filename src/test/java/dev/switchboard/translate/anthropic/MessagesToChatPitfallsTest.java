package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One test per {@code pitfalls.md} entry that concerns Anthropic clients over a Chat upstream. */
class MessagesToChatPitfallsTest {

  private static final Path FIXTURES = Paths.get("src/test/resources/fixtures/anthropic-to-chat");
  private static final Set<String> STOP_REASONS =
      Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded");

  private final MessagesToChat translation = MessagesToChatGoldenTest.translation();

  private static JsonObject json(String path) {
    return new JsonObject(MessagesToChatGoldenTest.read(FIXTURES.resolve(path)));
  }

  private static List<String> events(String name) {
    return List.of(MessagesToChatGoldenTest.read(FIXTURES.resolve("stream/" + name + ".events")).split("(?<=\n\n)"));
  }

  private ChatToMessagesSdkAccumulator stream(String name) {
    String sse = MessagesToChatGoldenTest.read(FIXTURES.resolve("stream/" + name + ".sse"));
    return ChatToMessagesSdkAccumulator.replay(MessagesToChatGoldenTest.run(translation.stream("c"), sse));
  }

  private static Stream<Path> all(String dir, String suffix) throws IOException {
    return Files.list(FIXTURES.resolve(dir)).filter(p -> p.toString().endsWith(suffix)).sorted();
  }

  @Test
  void p1_everyEventCarriesAnEventLineNamedLikeItsType() throws IOException {
    try (Stream<Path> files = all("stream", ".events")) {
      for (Path file : files.toList()) {
        for (String record : MessagesToChatGoldenTest.read(file).split("(?<=\n\n)")) {
          String[] lines = record.split("\n");
          assertTrue(lines[0].startsWith("event: "), file + ": " + record);
          assertEquals(lines[0].substring(7), new JsonObject(lines[1].substring(6)).getString("type"), file.toString());
        }
      }
    }
  }

  @Test
  void p3_blockIndexesAreDenseInStartOrder() {
    List<Integer> starts = new ArrayList<>();
    for (String record : events("text-then-two-parallel-tools")) {
      JsonObject data = new JsonObject(record.split("\n")[1].substring(6));
      if ("content_block_start".equals(data.getString("type"))) starts.add(data.getInteger("index"));
    }
    assertEquals(List.of(0, 1, 2), starts);
  }

  @Test
  void p5_parallelCallsGetOneToolUseBlockEachWithTheirOwnArguments() {
    JsonArray content = stream("text-then-two-parallel-tools").message.getJsonArray("content");
    assertEquals("call_a", content.getJsonObject(1).getString("id"));
    assertEquals("{\"city\":\"Oslo\"}", content.getJsonObject(1).getString("partial_json"));
    assertEquals("call_b", content.getJsonObject(2).getString("id"));
    assertEquals("{\"tz\":\"CET\"}", content.getJsonObject(2).getString("partial_json"));
  }

  @Test
  void p6_argumentsAreForwardedAsFragmentsHeldUntilIdAndNameAreKnownAndRepairedWhenCut() {
    long fragments = events("text-then-two-parallel-tools").stream().filter(e -> e.contains("input_json_delta")).count();
    assertEquals(3, fragments, "two fragments for the first call, one for the second, as they arrived");
    JsonObject late = stream("arguments-before-id-and-name").message.getJsonArray("content").getJsonObject(0);
    assertEquals("call_late", late.getString("id"));
    assertEquals("{\"q\":\"x\"}", late.getString("partial_json"));
    JsonObject cut = json("response/length-truncated-tool.out.json").getJsonArray("content").getJsonObject(1);
    assertEquals(new JsonObject().put("path", "a.txt").put("content", "hello wor"), cut.getJsonObject("input"));
  }

  @Test
  void p7_usageIsForcedUpstreamAndTheFinalMessageDeltaWaitsForIt() {
    JsonObject up = translation.request(json("request/plain-text.in.json").put("stream", true), "m");
    assertEquals(new JsonObject().put("include_usage", true), up.getJsonObject("stream_options"));
    // OpenAI's order: finish chunk, then the usage chunk; input tokens must not stay 0
    ChatToMessagesSdkAccumulator acc = stream("text-then-two-parallel-tools");
    assertEquals(40, acc.message.getJsonObject("usage").getInteger("input_tokens"));
    assertEquals(64, acc.message.getJsonObject("usage").getInteger("cache_read_input_tokens"));
    assertEquals(41, acc.message.getJsonObject("usage").getInteger("output_tokens"));
    // usage on a chunk that still has a choice with an empty delta
    assertEquals(7, stream("usage-on-chunk-with-empty-delta").message.getJsonObject("usage").getInteger("input_tokens"));
    List<String> text = events("text-only");
    assertTrue(text.get(text.size() - 2).contains("\"input_tokens\":9"), "usage:null chunks are skipped, the real one counts");
  }

  @Test
  void p9_errorsInsideTheStreamBecomeAnthropicErrorEvents() {
    ChatToMessagesSdkAccumulator acc = stream("in-stream-error");
    assertEquals(new JsonObject().put("type", "overloaded_error").put("message", "The server is overloaded"), acc.error);
    assertEquals("rate_limit_error", stream("error-before-anything").error.getString("type"));
    assertEquals("api_error", stream("cut-without-finish").error.getString("type"));
  }

  @Test
  void p10_noEmptyTextBlocksEitherWay() {
    // the role chunk's content:"" opens nothing
    assertFalse(String.join("", events("text-then-two-parallel-tools")).contains("\"text_delta\",\"text\":\"\""));
    JsonArray system = json("request/system-blocks.out.json").getJsonArray("messages");
    assertEquals("You are Claude Code.\n\nWork in /repo.", system.getJsonObject(0).getString("content"));
    JsonObject emptyText = new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "")).add(new JsonObject().put("type", "text").put("text", "q")));
    JsonArray messages = translation.request(new JsonObject().put("messages", new JsonArray().add(emptyText)), "m").getJsonArray("messages");
    assertEquals("q", messages.getJsonObject(0).getString("content"));
    JsonArray content = json("response/stop-with-tool-calls.out.json").getJsonArray("content");
    assertEquals(1, content.size(), "content \"\" beside tool calls is not a text block");
  }

  @Test
  void p11_toolMessagesFollowTheirAssistantTurnBeforeAnyUserText() {
    JsonArray messages = json("request/tool-result-first-in-mixed-turn.out.json").getJsonArray("messages");
    assertEquals(List.of("user", "assistant", "tool", "tool", "user"), roles(messages));
    JsonArray trip = json("request/tool-round-trip.out.json").getJsonArray("messages");
    assertEquals("toolu_01A", trip.getJsonObject(2).getString("tool_call_id"), "in the order of the calls");
    assertEquals("toolu_01B", trip.getJsonObject(3).getString("tool_call_id"));
    // a mid-conversation system turn between a call and its result waits for the result
    JsonArray system = json("request/system-between-tool-call-and-result.out.json").getJsonArray("messages");
    assertEquals(List.of("user", "assistant", "tool", "system", "user", "assistant", "system"), roles(system));
  }

  @Test
  void p12_toolIdsAreSanitisedAndNeverEmpty() {
    assertEquals("call_with_odd_chars",
        json("response/stop-with-tool-calls.out.json").getJsonArray("content").getJsonObject(0).getString("id"));
    assertEquals("toolu_minted_0",
        json("response/no-id-no-usage-unknown-finish.out.json").getJsonArray("content").getJsonObject(1).getString("id"));
    assertEquals("toolu_chatcmpl-1_0",
        stream("tool-calls-without-index-or-id").message.getJsonArray("content").getJsonObject(0).getString("id"));
  }

  @Test
  void p13_toolResultImagesMoveToAUserMessageAfterAllToolMessages() {
    JsonArray trip = json("request/tool-round-trip.out.json").getJsonArray("messages");
    assertEquals("[tool error] weather service down", trip.getJsonObject(2).getString("content"));
    JsonObject after = trip.getJsonObject(4);
    assertEquals("user", after.getString("role"));
    assertEquals("image_url", after.getJsonArray("content").getJsonObject(0).getString("type"));
  }

  @Test
  void p14_systemTextKeepsItsOrderAndMidConversationSystemItsPlace() {
    JsonArray messages = json("request/mid-conversation-system.out.json").getJsonArray("messages");
    assertEquals(List.of("system", "user", "assistant", "system", "user"), roles(messages));
    assertEquals("Now be terse.", messages.getJsonObject(3).getString("content"));
  }

  @Test
  void p16_aToolWithoutSchemaGetsAnEmptyObjectSchema() {
    JsonArray tools = json("request/tools-auto.out.json").getJsonArray("tools");
    assertEquals(3, tools.size(), "the typed server tool (web_search) has no Chat form and is dropped");
    assertEquals(new JsonObject().put("type", "object").put("properties", new JsonObject()),
        tools.getJsonObject(2).getJsonObject("function").getJsonObject("parameters"));
  }

  @Test
  void p29_base64ImagesBecomeStrictDataUrlsAndUrlsStayUrls() {
    JsonArray parts = json("request/images.out.json").getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertEquals("data:image/png;base64,iVBORw0KGgo=", parts.getJsonObject(0).getJsonObject("image_url").getString("url"));
    assertEquals("https://example.com/cat.jpg", parts.getJsonObject(1).getJsonObject("image_url").getString("url"));
    assertEquals("data:application/pdf;base64,JVBERi0x", parts.getJsonObject(2).getJsonObject("file").getString("file_data"));
  }

  @Test
  void p17_maxCompletionTokensByDefaultAndAtMostFourStopSequences() {
    JsonObject out = json("request/stop-sequences.out.json");
    assertEquals(100, out.getInteger("max_completion_tokens"));
    assertNull(out.getValue("max_tokens"));
    assertEquals(4, out.getJsonArray("stop").size());
  }

  @Test
  void p19_thinkingAndSignaturesAreNeverSentUpstream() {
    String up = json("request/tool-round-trip.out.json").encode();
    assertFalse(up.contains("EqQBCkgIARAB") || up.contains("Two tools needed") || up.contains("redacted"), up);
  }

  @Test
  void p22_inputTokensExcludeCacheReads() {
    JsonObject usage = json("response/tool-calls-cached-usage.out.json").getJsonObject("usage");
    assertEquals(812 - 768, usage.getInteger("input_tokens"));
    assertEquals(768, usage.getInteger("cache_read_input_tokens"));
    assertEquals(31, usage.getInteger("output_tokens"));
  }

  @Test
  void p24_onlyAnthropicStopReasonsReachTheClient() throws IOException {
    try (Stream<Path> files = all("response", ".out.json")) {
      for (Path file : files.toList()) {
        assertTrue(STOP_REASONS.contains(new JsonObject(MessagesToChatGoldenTest.read(file)).getString("stop_reason")), file.toString());
      }
    }
    try (Stream<Path> files = all("stream", ".events")) {
      for (Path file : files.toList()) {
        for (String record : MessagesToChatGoldenTest.read(file).split("(?<=\n\n)")) {
          JsonObject data = new JsonObject(record.split("\n")[1].substring(6));
          if ("message_delta".equals(data.getString("type"))) {
            assertTrue(STOP_REASONS.contains(data.getJsonObject("delta").getString("stop_reason")), file.toString());
          }
        }
      }
    }
  }

  @Test
  void p25_toolUseOnlyWhenAToolUseBlockWasSent() {
    assertEquals("end_turn", json("response/tool-calls-finish-without-calls.out.json").getString("stop_reason"));
    assertEquals("end_turn", stream("text-after-tool-and-tool-calls-finish-without-calls").message.getString("stop_reason"));
  }

  @Test
  void p26_overloadAndRateLimitKeepTheirAnthropicMeaning() {
    assertEquals("overloaded_error", translation.error(503, new JsonObject()).getJsonObject("error").getString("type"));
    assertEquals(529, MessagesToChat.clientStatus(503));
    assertEquals("rate_limit_error", translation.error(429, new JsonObject()).getJsonObject("error").getString("type"));
  }

  @Test
  void p28_upstreamErrorsAreRewrappedInTheAnthropicEnvelopeWithTheirMessage() {
    JsonObject upstream = new JsonObject().put("error", new JsonObject()
        .put("message", "This model's maximum context length is 128000 tokens").put("type", "invalid_request_error")
        .put("code", "context_length_exceeded"));
    JsonObject body = translation.error(400, upstream);
    assertEquals("error", body.getString("type"));
    assertEquals("This model's maximum context length is 128000 tokens", body.getJsonObject("error").getString("message"));
    List<Buffer> out = new ArrayList<>();
    translation.stream("c").onEvent(null, Buffer.buffer(upstream.encode()), out);
    assertEquals("invalid_request_error", ChatToMessagesSdkAccumulator.replay(out).error.getString("type"));
  }

  private static List<String> roles(JsonArray messages) {
    List<String> roles = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) roles.add(messages.getJsonObject(i).getString("role"));
    return roles;
  }
}
