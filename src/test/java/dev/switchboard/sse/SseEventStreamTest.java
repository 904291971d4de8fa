package dev.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseEventStreamTest {

  private static final String BODY = "event: message_start\ndata: {\"a\":\"Hé\"}\n\n"
      + ": ping\n\n"
      + "data: {\"b\":\"llo 😀\"}\r\n\r\n"
      + "event: message_stop\ndata: {}\n\n";

  private static final class Run {
    final SseRelayTest.FakeUpstream upstream = new SseRelayTest.FakeUpstream();
    final List<String> events = new ArrayList<>();
    final List<Buffer> writes = new ArrayList<>();
    Throwable failure;
    boolean ended;
    final SseEventStream stream;

    Run(int max) {
      stream = new SseEventStream(upstream, (event, out) -> {
        String text = event.toString(StandardCharsets.UTF_8);
        events.add(text);
        out.add(Buffer.buffer("<" + text.length() + ">"));
        out.add(Buffer.buffer("."));
      }, max);
      stream.handler(writes::add).endHandler(v -> ended = true).exceptionHandler(e -> failure = e);
    }

    String output() {
      StringBuilder sb = new StringBuilder();
      writes.forEach(w -> sb.append(w.toString(StandardCharsets.UTF_8)));
      return sb.toString();
    }
  }

  @Test
  void everyEventReachesTheMapperWholeWhateverTheSplits() {
    byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      Run run = new Run(1 << 20);
      int pos = 0;
      int reads = 0;
      while (pos < bytes.length) {
        int n = 1 + random.nextInt(Math.min(12, bytes.length - pos));
        run.upstream.send(Buffer.buffer().appendBytes(bytes, pos, n));
        pos += n;
        reads++;
      }
      run.upstream.endHandler.handle(null);
      assertEquals(List.of("event: message_start\ndata: {\"a\":\"Hé\"}\n\n", ": ping\n\n",
          "data: {\"b\":\"llo 😀\"}\r\n\r\n", "event: message_stop\ndata: {}\n\n"), run.events);
      assertTrue(run.ended);
      assertTrue(run.writes.size() <= reads, "at most one write per upstream read");
      assertEquals(run.events.stream().map(e -> "<" + e.length() + ">.").reduce("", String::concat), run.output());
    }
  }

  @Test
  void allEventsOfOneReadGoOutAsOneWrite() {
    Run run = new Run(1 << 20);
    run.upstream.send(Buffer.buffer(BODY));
    assertEquals(1, run.writes.size());
    assertEquals(4, run.events.size());
  }

  @Test
  void aLastEventWithoutItsBlankLineStillCountsAtTheEnd() {
    Run run = new Run(1 << 20);
    run.upstream.send(Buffer.buffer("data: 1\n\ndata: 2"));
    assertEquals(List.of("data: 1\n\n"), run.events);
    run.upstream.endHandler.handle(null);
    assertEquals(List.of("data: 1\n\n", "data: 2"), run.events);
    assertTrue(run.ended);
  }

  @Test
  void anOversizedEventFailsTheStreamAndNothingMoreIsWritten() {
    Run run = new Run(32);
    run.upstream.send(Buffer.buffer("data: short\n\n"));
    run.upstream.send(Buffer.buffer("data: " + "x".repeat(40)));
    assertInstanceOf(SseEventTooLargeException.class, run.failure);
    assertNull(run.upstream.handler, "the upstream is no longer read");
    assertEquals(1, run.writes.size());
  }

  @Test
  void demandGoesStraightToTheUpstream() {
    Run run = new Run(1 << 20);
    run.stream.pause();
    run.stream.fetch(2);
    run.stream.resume();
    assertEquals(List.of("pause", "fetch 2", "resume"), run.upstream.demand);
  }

  @Test
  void anUpstreamFailureReachesTheExceptionHandler() {
    Run run = new Run(1 << 20);
    run.upstream.exceptionHandler.handle(new IllegalStateException("reset"));
    assertEquals("reset", run.failure.getMessage());
  }
}
