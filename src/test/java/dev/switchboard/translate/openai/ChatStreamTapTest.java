package dev.switchboard.translate.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.sse.SseRelay;
import dev.switchboard.stats.Usage;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStreamTapTest {

  private static final String CONTENT = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";
  private static final String USAGE_ONLY = "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":7,"
      + "\"total_tokens\":18,\"prompt_tokens_details\":{\"cached_tokens\":4},\"completion_tokens_details\":{\"reasoning_tokens\":2}}}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  private static boolean show(ChatStreamTap tap, String event) {
    return tap.onEvent(Buffer.buffer(event));
  }

  private static String withUsage(int completion) {
    return "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":" + completion + "}}\n\n";
  }

  @Test
  void dropsTheUsageOnlyChunkWhenTheClientDidNotAsk() {
    ChatStreamTap tap = new ChatStreamTap(false);
    assertTrue(show(tap, CONTENT));
    assertFalse(show(tap, USAGE_ONLY));
    assertTrue(show(tap, DONE));
    assertEquals(new Usage(11, 7, 4, 2), tap.usage());
    assertTrue(tap.done());
    assertEquals(3, tap.events());
  }

  @Test
  void keepsTheUsageOnlyChunkWhenTheClientAsked() {
    ChatStreamTap tap = new ChatStreamTap(true);
    assertTrue(show(tap, CONTENT));
    assertTrue(show(tap, USAGE_ONLY));
    assertEquals(new Usage(11, 7, 4, 2), tap.usage());
  }

  @Test
  void usageRepeatedOnEveryChunkIsCumulativeSoTheLastOneCountsAndTheChunksAreKept() {
    ChatStreamTap tap = new ChatStreamTap(false);
    assertTrue(show(tap, withUsage(5)));
    assertTrue(show(tap, withUsage(10)));
    assertTrue(show(tap, withUsage(15)));
    assertEquals(new Usage(10, 15, 0, 0), tap.usage());
  }

  @Test
  void aNullUsageIsNotUsage() {
    ChatStreamTap tap = new ChatStreamTap(false);
    assertTrue(show(tap, "data: {\"choices\":[],\"usage\":null}\n\n"));
    assertTrue(show(tap, "data: {\"choices\":[{\"delta\":{}}],\"usage\" : null}\n\n"));
    assertNull(tap.usage());
    assertFalse(show(tap, USAGE_ONLY.replace("\"usage\":", "\"usage\" :\t ")));
    assertEquals(11, tap.usage().input());
    assertTrue(show(tap, "data: {\"choices\":[],\"usage\":null}\n\n"));
    assertEquals(11, tap.usage().input(), "a later null does not erase the usage seen");
  }

  @Test
  void findsTheUsageObjectAfterAnEarlierMentionThatIsNotOne() {
    ChatStreamTap tap = new ChatStreamTap(false);
    assertFalse(show(tap, "data: {\"object\":\"usage\",\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1}}\n\n"));
    assertEquals(new Usage(2, 1, 0, 0), tap.usage());
    assertTrue(show(tap, "data: {\"choices\":[{\"delta\":{},\"usage\":null}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\n"));
    assertEquals(new Usage(3, 4, 0, 0), tap.usage());
  }

  @Test
  void theWordUsageInsideContentIsNotUsage() {
    ChatStreamTap tap = new ChatStreamTap(false);
    assertTrue(show(tap, "data: {\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\":{} and \\\"error\\\":{}\"}}]}\n\n"));
    assertNull(tap.usage());
    assertNull(tap.error());
  }

  @Test
  void detectsTheEndMarkerOnlyAsTheWholeData() {
    ChatStreamTap tap = new ChatStreamTap(false);
    assertTrue(show(tap, "data: {\"choices\":[{\"delta\":{\"content\":\"[DONE]\"}}]}\n\n"));
    assertFalse(tap.done());
    assertTrue(show(tap, "data:[DONE]\r\n\r\n"));
    assertTrue(tap.done());
  }

  @Test
  void anErrorEventSetsTheError() {
    ChatStreamTap tap = new ChatStreamTap(false);
    assertTrue(show(tap, CONTENT));
    assertTrue(show(tap, "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"));
    assertEquals("overloaded", tap.error());
    assertFalse(tap.done());
  }

  @Test
  void anErrorWithoutAMessageStillCounts() {
    ChatStreamTap tap = new ChatStreamTap(false);
    show(tap, "event: error\ndata: {\"error\":{\"code\":500}}\n\n");
    assertEquals("upstream error", tap.error());
  }

  @Test
  void malformedEventsAreKeptAndDoNotThrow() {
    ChatStreamTap tap = new ChatStreamTap(false);
    for (String event : List.of("data: {\"usage\":{\"prompt_tokens\":\n\n", "data: {\"error\":{\n\n", "data: \"usage\":{}\n\n",
        "data: [\"usage\", {\"error\":1}]\n\n", ": comment\n\n", "event: ping\n\n", "\n", "")) {
      assertTrue(show(tap, event), event);
    }
    assertNull(tap.usage());
    assertNull(tap.error());
  }

  @Test
  void usageWithBadNumbersCountsAsZero() {
    assertEquals(new Usage(0, 3, 0, 0), ChatUsage.parse(new JsonObject()
        .put("prompt_tokens", "many").put("completion_tokens", 3).put("prompt_tokens_details", "x")));
    assertEquals(new Usage(0, 0, 0, 0), ChatUsage.parse(new JsonObject().put("prompt_tokens", -5)));
  }

  @Test
  void throughTheRelayTheClientGetsTheStreamWithoutTheUsageChunkItDidNotAskFor() {
    String stream = CONTENT + withUsage(1).replace("\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}", "\"usage\":null") + USAGE_ONLY + DONE;
    byte[] input = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int cut = 0; cut <= input.length; cut++) {
      Pushed upstream = new Pushed();
      ChatStreamTap tap = new ChatStreamTap(false);
      Buffer out = Buffer.buffer();
      new SseRelay(upstream, tap, true, 1 << 20).handler(out::appendBuffer);
      upstream.handler.handle(Buffer.buffer().appendBytes(input, 0, cut));
      upstream.handler.handle(Buffer.buffer().appendBytes(input, cut, input.length - cut));
      upstream.endHandler.handle(null);
      assertEquals(stream.replace(USAGE_ONLY, ""), out.toString());
      assertEquals(new Usage(11, 7, 4, 2), tap.usage());
      assertTrue(tap.done());
    }
  }

  /** The least upstream a relay needs: handlers we call by hand. */
  private static final class Pushed implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Void> endHandler;

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
      handler = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
      endHandler = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return this;
    }
  }
}
