package dev.switchboard.translate.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StreamTapsTest {

  private static void feed(StreamTap tap, String... events) {
    for (String e : events) assertTrue(tap.onEvent(Buffer.buffer(e)), "taps of these protocols never withhold");
  }

  @Test
  void anthropicUsageComesFromStartAndDeltaAndIsNeverSummed() {
    StreamTap tap = StreamTaps.of(Protocol.ANTHROPIC_MESSAGES, false);
    feed(tap,
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":10,"
            + "\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":5,\"output_tokens\":1}}}\n\n",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"\\\"usage\\\": {}\"}}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":7}}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":9}}\n\n");
    assertFalse(tap.done());
    feed(tap, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    assertTrue(tap.done());
    assertEquals(new Usage(115, 9, 100, 0).withCacheWrites(5, 0), tap.usage());
    assertNull(tap.error());
  }

  @Test
  void anthropicErrorEventsAreErrors() {
    StreamTap tap = StreamTaps.of(Protocol.ANTHROPIC_MESSAGES, false);
    feed(tap, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    assertEquals("Overloaded", tap.error());
    assertFalse(tap.done());
    assertNull(tap.usage());
  }

  @Test
  void geminiEndsAtAFinishReasonAndCountsThoughtsAsOutput() {
    StreamTap tap = StreamTaps.of(Protocol.GEMINI, false);
    feed(tap, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]}}],"
        + "\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9}}\n\n");
    assertFalse(tap.done());
    assertEquals(new Usage(9, 0, 0, 0), tap.usage());
    feed(tap, "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":4,\"thoughtsTokenCount\":20,"
        + "\"cachedContentTokenCount\":3,\"totalTokenCount\":33}}\n\n");
    assertTrue(tap.done());
    assertEquals(new Usage(9, 24, 3, 20), tap.usage());
  }

  @Test
  void geminiErrorsInTheStreamAreErrors() {
    StreamTap tap = StreamTaps.of(Protocol.GEMINI, false);
    feed(tap, "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\n\n");
    assertEquals("The model is overloaded.", tap.error());
  }

  @Test
  void responsesEndAtCompletedWithTheUsageOfTheResponse() {
    StreamTap tap = StreamTaps.of(Protocol.OPENAI_RESPONSES, false);
    feed(tap,
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"usage\":null}}\n\n",
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"usage\"}\n\n");
    assertFalse(tap.done());
    feed(tap, "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\","
        + "\"usage\":{\"input_tokens\":50,\"input_tokens_details\":{\"cached_tokens\":40},\"output_tokens\":12,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":8},\"total_tokens\":62}}}\n\n");
    assertTrue(tap.done());
    assertEquals(new Usage(50, 12, 40, 8), tap.usage());
  }

  @Test
  void responsesFailuresAreErrors() {
    StreamTap failed = StreamTaps.of(Protocol.OPENAI_RESPONSES, false);
    feed(failed, "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\","
        + "\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}}\n\n");
    assertEquals("boom", failed.error());
    StreamTap error = StreamTaps.of(Protocol.OPENAI_RESPONSES, false);
    feed(error, "event: error\ndata: {\"type\":\"error\",\"code\":\"x\",\"message\":\"bad\"}\n\n");
    assertEquals("bad", error.error());
  }

  @Test
  void malformedEventsAreIgnoredNotFatal() {
    for (Protocol p : Protocol.values()) {
      StreamTap tap = StreamTaps.of(p, true);
      feed(tap, "event: message_start\ndata: {not json\n\n", "data: {\"usageMetadata\": [\n\n",
          "event: response.completed\ndata: nope\n\n", "event: message_delta\n\n", "\n");
      assertNull(tap.error() == null ? null : p + ": " + tap.error(), "no error invented from garbage");
    }
  }

  @Test
  void wholeAnswersReportUsageInTheGatewaysTerms() {
    assertEquals(new Usage(115, 9, 100, 0).withCacheWrites(5, 0), Usages.of(Protocol.ANTHROPIC_MESSAGES, new JsonObject(
        "{\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":5,\"output_tokens\":9}}")));
    assertEquals(new Usage(115, 9, 100, 0).withCacheWrites(1, 4), Usages.of(Protocol.ANTHROPIC_MESSAGES, new JsonObject(
        "{\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":5,"
            + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1,\"ephemeral_1h_input_tokens\":4},\"output_tokens\":9}}")),
        "cache writes split by lifetime, for their two prices");
    assertEquals(new Usage(9, 24, 3, 20), Usages.of(Protocol.GEMINI, new JsonObject(
        "{\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":4,\"thoughtsTokenCount\":20,\"cachedContentTokenCount\":3}}")));
    assertEquals(new Usage(5, 2, 1, 0), Usages.of(Protocol.OPENAI_CHAT, new JsonObject(
        "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":1}}}")));
    assertEquals(new Usage(50, 12, 40, 8), Usages.of(Protocol.OPENAI_RESPONSES, new JsonObject(
        "{\"usage\":{\"input_tokens\":50,\"input_tokens_details\":{\"cached_tokens\":40},\"output_tokens\":12,"
            + "\"output_tokens_details\":{\"reasoning_tokens\":8}}}")));
    for (Protocol p : Protocol.values()) assertNull(Usages.of(p, new JsonObject("{\"id\":\"x\"}")));
  }
}
