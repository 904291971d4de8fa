package dev.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SseRelayTest {

  private static final List<String> EVENTS = List.of(
      "data: {\"choices\":[{\"delta\":{\"content\":\"Hé\"}}]}\n\n",
      ": keep-alive comment\n\n",
      "event: message\nid: 7\ndata: {\"choices\":[{\"delta\":{\"content\":\"llo 😀\"}}]}\n\n",
      "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n",
      "data: [DONE]\n\n");

  private static final int USAGE_ONLY = 3;
  private static final int BIG = 1 << 20;

  /** An upstream body we push chunks through by hand, recording what the relay asks of it. */
  static final class FakeUpstream implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Void> endHandler;
    Handler<Throwable> exceptionHandler;
    final List<String> demand = new ArrayList<>();

    @Override
    public FakeUpstream handler(Handler<Buffer> h) {
      handler = h;
      return this;
    }

    @Override
    public FakeUpstream endHandler(Handler<Void> h) {
      endHandler = h;
      return this;
    }

    @Override
    public FakeUpstream exceptionHandler(Handler<Throwable> h) {
      exceptionHandler = h;
      return this;
    }

    @Override
    public FakeUpstream pause() {
      demand.add("pause");
      return this;
    }

    @Override
    public FakeUpstream resume() {
      demand.add("resume");
      return this;
    }

    @Override
    public FakeUpstream fetch(long amount) {
      demand.add("fetch " + amount);
      return this;
    }

    /** Delivers a chunk if anyone still listens, as a real stream would after handler(null). */
    void send(Buffer chunk) {
      if (handler != null) handler.handle(chunk);
    }

    void end() {
      if (endHandler != null) endHandler.handle(null);
    }
  }

  /** A tap that records every event it is shown and drops those the predicate picks. */
  static final class RecordingTap implements SseTap {
    final List<String> events = new ArrayList<>();
    final Predicate<String> drop;

    RecordingTap(Predicate<String> drop) {
      this.drop = drop;
    }

    @Override
    public boolean onEvent(Buffer event) {
      String text = event.toString(StandardCharsets.UTF_8);
      events.add(text);
      return !drop.test(text);
    }
  }

  /** Everything one relay run produced. */
  static final class Run {
    final FakeUpstream upstream = new FakeUpstream();
    final RecordingTap tap;
    final SseRelay relay;
    final Buffer output = Buffer.buffer();
    final List<Buffer> emitted = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    int ends;

    Run(Predicate<String> drop, boolean mayDrop, int maxEventBytes) {
      tap = new RecordingTap(drop);
      relay = new SseRelay(upstream, tap, mayDrop, maxEventBytes);
      relay.exceptionHandler(errors::add).endHandler(v -> ends++).handler(b -> {
        emitted.add(b);
        output.appendBuffer(b);
      });
    }

    Run feed(byte[] input, int... cuts) {
      int from = 0;
      for (int cut : cuts) {
        upstream.send(Buffer.buffer().appendBytes(input, from, cut - from));
        from = cut;
      }
      upstream.send(Buffer.buffer().appendBytes(input, from, input.length - from));
      upstream.end();
      return this;
    }
  }

  private static byte[] bytes(List<String> events) {
    return String.join("", events).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> crlf(List<String> events) {
    return events.stream().map(e -> e.replace("\n", "\r\n")).toList();
  }

  private static void assertPassThrough(List<String> events, int... cuts) {
    byte[] input = bytes(events);
    Run run = new Run(e -> false, false, BIG).feed(input, cuts);
    assertEquals(Buffer.buffer(input), run.output, () -> "cuts " + java.util.Arrays.toString(cuts));
    assertEquals(events, run.tap.events, () -> "cuts " + java.util.Arrays.toString(cuts));
    assertEquals(1, run.ends);
    assertEquals(List.of(), run.errors);
  }

  private static void assertDropsUsageOnly(List<String> events, int... cuts) {
    byte[] input = bytes(events);
    Run run = new Run(e -> e.contains("\"choices\":[]"), true, BIG).feed(input, cuts);
    List<String> expected = new ArrayList<>(events);
    expected.remove(USAGE_ONLY);
    assertEquals(Buffer.buffer(bytes(expected)), run.output, () -> "cuts " + java.util.Arrays.toString(cuts));
    assertEquals(events, run.tap.events, () -> "cuts " + java.util.Arrays.toString(cuts));
    assertEquals(1, run.ends);
  }

  private static int[] randomCuts(Random random, int length) {
    TreeSet<Integer> cuts = new TreeSet<>();
    for (int i = random.nextInt(12); i > 0; i--) cuts.add(1 + random.nextInt(length - 1));
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void passesBytesThroughAndShowsEveryEventForEverySplitPoint() {
    for (List<String> events : List.of(EVENTS, crlf(EVENTS))) {
      int length = bytes(events).length;
      for (int cut = 0; cut <= length; cut++) {
        assertPassThrough(events, cut);
      }
    }
  }

  @Test
  void passesBytesThroughAndShowsEveryEventForEveryPairOfSplitPoints() {
    List<String> events = crlf(EVENTS.subList(0, 3));
    int length = bytes(events).length;
    for (int a = 0; a <= length; a++) {
      for (int b = a; b <= length; b++) {
        assertPassThrough(events, a, b);
      }
    }
  }

  @Test
  void passesBytesThroughAndShowsEveryEventForRandomSplits() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      List<String> events = i % 2 == 0 ? EVENTS : crlf(EVENTS);
      assertPassThrough(events, randomCuts(random, bytes(events).length));
    }
  }

  @Test
  void passThroughHandsOnEachUpstreamBufferWholeAsItArrives() {
    byte[] input = bytes(EVENTS);
    Run run = new Run(e -> false, false, BIG);
    Buffer first = Buffer.buffer().appendBytes(input, 0, 10);
    run.upstream.send(first);
    assertEquals(List.of(first), run.emitted);
    assertEquals(List.of(), run.tap.events);
  }

  @Test
  void dropModeHandsOnABufferOfWholeKeptEventsAsItCame() {
    Run run = new Run(e -> e.contains("usage"), true, BIG);
    Buffer whole = Buffer.buffer("data: {\"a\":1}\n\ndata: {\"b\":2}\n\n");
    run.upstream.send(whole);
    assertEquals(1, run.emitted.size());
    assertSame(whole, run.emitted.get(0), "not a slice of it");
    Buffer partly = Buffer.buffer("data: {\"usage\":{}}\n\ndata: {\"c\":3}\n\n");
    run.upstream.send(partly);
    assertEquals("data: {\"c\":3}\n\n", run.emitted.get(1).toString());
  }

  @Test
  void dropsExactlyTheUsageOnlyEventForEverySplitPoint() {
    for (List<String> events : List.of(EVENTS, crlf(EVENTS))) {
      int length = bytes(events).length;
      for (int cut = 0; cut <= length; cut++) {
        assertDropsUsageOnly(events, cut);
      }
    }
  }

  @Test
  void dropsExactlyTheUsageOnlyEventForRandomSplits() {
    Random random = new Random(4242);
    for (int i = 0; i < 2_000; i++) {
      List<String> events = i % 2 == 0 ? EVENTS : crlf(EVENTS);
      assertDropsUsageOnly(events, randomCuts(random, bytes(events).length));
    }
  }

  @Test
  void randomStreamsWithRandomDropsYieldExactlyTheKeptEvents() {
    Random random = new Random(1234);
    for (int i = 0; i < 1_000; i++) {
      String eol = random.nextBoolean() ? "\n" : "\r\n";
      List<String> events = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      for (int e = 1 + random.nextInt(8); e > 0; e--) {
        boolean drop = random.nextInt(3) == 0;
        StringBuilder event = new StringBuilder();
        for (int line = 1 + random.nextInt(3); line > 0; line--) {
          event.append(line == 1 ? "data: " : "id: ").append(drop ? "DROP" : "keep").append("x".repeat(random.nextInt(40))).append(eol);
        }
        String text = event.append(eol).toString();
        events.add(text);
        if (!drop) kept.add(text);
      }
      byte[] input = bytes(events);
      Run run = new Run(e -> e.contains("DROP"), true, BIG).feed(input, randomCuts(random, input.length));
      assertEquals(Buffer.buffer(bytes(kept)), run.output, () -> String.join("", events));
      assertEquals(events, run.tap.events);
    }
  }

  @Test
  void dropModeKeepsEverythingWhenTheTapDropsNothing() {
    byte[] input = bytes(crlf(EVENTS));
    Random random = new Random(9);
    for (int i = 0; i < 500; i++) {
      Run run = new Run(e -> false, true, BIG).feed(input, randomCuts(random, input.length));
      assertEquals(Buffer.buffer(input), run.output);
    }
  }

  @Test
  void aFinalEventWithoutABlankLineStillReachesTheTap() {
    byte[] input = "data: a\n\ndata: last".getBytes(StandardCharsets.UTF_8);
    for (boolean mayDrop : new boolean[] {false, true}) {
      for (int cut = 0; cut <= input.length; cut++) {
        Run run = new Run(e -> false, mayDrop, BIG).feed(input, cut);
        assertEquals(List.of("data: a\n\n", "data: last"), run.tap.events);
        assertEquals(Buffer.buffer(input), run.output);
        assertEquals(1, run.ends);
      }
    }
  }

  @Test
  void aDroppedFinalEventWithoutABlankLineIsWithheld() {
    byte[] input = "data: a\n\ndata: drop me".getBytes(StandardCharsets.UTF_8);
    Run run = new Run(e -> e.contains("drop"), true, BIG).feed(input, 12);
    assertEquals(Buffer.buffer("data: a\n\n"), run.output);
  }

  @Test
  void anEventOverTheLimitWithinOneChunkFailsAndStopsTheRelay() {
    String big = "data: " + "x".repeat(100) + "\n\n";
    byte[] input = bytes(List.of("data: ok\n\n", big, "data: after\n\n"));
    for (boolean mayDrop : new boolean[] {false, true}) {
      Run run = new Run(e -> false, mayDrop, 64);
      run.upstream.send(Buffer.buffer(input));
      assertEquals(1, run.errors.size());
      assertInstanceOf(SseEventTooLargeException.class, run.errors.get(0));
      assertEquals(List.of("data: ok\n\n"), run.tap.events);
      assertNull(run.upstream.handler, "the relay stops listening to the upstream");
      int before = run.output.length();
      run.upstream.send(Buffer.buffer("data: more\n\n"));
      run.upstream.end();
      assertEquals(before, run.output.length(), "nothing is emitted after the failure");
      assertEquals(0, run.ends);
      assertEquals(1, run.errors.size());
    }
  }

  @Test
  void anEventOverTheLimitAcrossChunksFailsBeforeItCompletes() {
    for (boolean mayDrop : new boolean[] {false, true}) {
      Run run = new Run(e -> false, mayDrop, 64);
      run.upstream.send(Buffer.buffer("data: ok\n\ndata: " + "x".repeat(30)));
      assertEquals(List.of(), run.errors);
      run.upstream.send(Buffer.buffer("y".repeat(30)));
      run.upstream.send(Buffer.buffer("z".repeat(30)));
      assertEquals(1, run.errors.size());
      assertInstanceOf(SseEventTooLargeException.class, run.errors.get(0));
      int before = run.output.length();
      run.upstream.send(Buffer.buffer("\n\ndata: next\n\n"));
      run.upstream.end();
      assertEquals(before, run.output.length());
      assertEquals(List.of("data: ok\n\n"), run.tap.events);
      assertEquals(0, run.ends);
    }
  }

  @Test
  void anEventOfExactlyTheLimitPasses() {
    String event = "data: " + "x".repeat(56) + "\n\n";
    assertEquals(64, event.length());
    byte[] input = event.getBytes(StandardCharsets.US_ASCII);
    for (int cut = 0; cut <= input.length; cut++) {
      Run run = new Run(e -> false, true, 64).feed(input, cut);
      assertEquals(List.of(), run.errors);
      assertEquals(List.of(event), run.tap.events);
    }
  }

  @Test
  void anUpstreamFailureReachesTheExceptionHandler() {
    Run run = new Run(e -> false, false, BIG);
    IOException boom = new IOException("reset");
    run.upstream.exceptionHandler.handle(boom);
    assertEquals(1, run.errors.size());
    assertSame(boom, run.errors.get(0));
  }

  @Test
  void forwardsPauseResumeAndFetchToTheUpstream() {
    Run run = new Run(e -> false, true, BIG);
    run.relay.pause();
    run.relay.fetch(3);
    run.relay.resume();
    assertEquals(List.of("pause", "fetch 3", "resume"), run.upstream.demand);
  }

  @Test
  void removingTheHandlerDetachesFromTheUpstream() {
    Run run = new Run(e -> false, false, BIG);
    run.relay.handler(null);
    assertNull(run.upstream.handler);
  }

  @Test
  void splitsOnBlankLinesOnlyNotOnSingleLineEnds() {
    Run run = new Run(e -> false, false, BIG).feed("a: 1\nb: 2\r\nc: 3\n\r\nd: 4\n\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(List.of("a: 1\nb: 2\r\nc: 3\n\r\n", "d: 4\n\n"), run.tap.events);
    assertTrue(run.errors.isEmpty());
  }
}
