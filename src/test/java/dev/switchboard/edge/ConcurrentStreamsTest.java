package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 200 concurrent streams over two edges, half of them read by clients that stop reading: the
 * fast half finishes while the slow half is still open, and every stream delivers every byte.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentStreamsTest {

  private static final int STREAMS = 200;
  /** 300 deltas of ~40 characters: about 50 KB of events per stream. */
  private static final String CONTENT = IntStream.range(0, 300)
      .mapToObj(i -> String.format("word-%05d-abcdefghijklmnopqrstuvwxyz", i))
      .collect(Collectors.joining(" "));

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().content(CONTENT));
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL))
        .clientKey("client", CLIENT_KEY)
        .server("instances", 2)
        .routing("firstByteTimeout", "20s")
        .routing("idleTimeout", "20s")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void slowReadersDoNotHoldUpFastOnesAndEveryStreamDeliversEveryByte() {
    Promise<Void> releaseSlow = Promise.promise();
    AtomicInteger slowEnded = new AtomicInteger();
    List<Future<String>> fast = new ArrayList<>();
    List<Future<String>> slow = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      boolean isSlow = i % 2 == 1;
      Future<String> body = gateway.open(CLIENT_KEY, Chat.streamRequest(MODEL)).compose(resp -> isSlow
          ? readSlowly(resp, releaseSlow.future(), slowEnded)
          : resp.body().map(Buffer::toString));
      (isSlow ? slow : fast).add(body);
    }

    Future.all(fast).await();
    assertEquals(0, slowEnded.get(), "every fast stream finished while all slow ones were still open");

    releaseSlow.complete();
    Future.all(slow).await();

    for (Future<String> body : fast) {
      assertEquals(CONTENT, Chat.streamedContent(body.result()));
    }
    for (Future<String> body : slow) {
      assertEquals(CONTENT, Chat.streamedContent(body.result()));
    }
    assertEquals(STREAMS, mock.requestCount());
    assertEquals(STREAMS, gateway.awaitUsageCount(STREAMS));
    assertEquals((long) STREAMS, ((Number) gateway.query(
        "SELECT COUNT(*) AS n FROM usage_records WHERE status = 200 AND output_tokens > 0").get(0).get("n")).longValue(),
        "every stream's usage was read from the chunk the gateway asked for and hid");
    double open = -1;
    for (int i = 0; i < 100 && open != 0; i++) {
      TestGateway.delay(vertx, 10).await();
      open = gateway.metrics().registry().get("switchboard_active_streams").gauge().value();
    }
    assertEquals(0, open, "no stream is left open at the gateway");
  }

  @Test
  void aClientThatStopsReadingHoldsBackItsUpstreamInsteadOfFillingTheGatewaysMemory() {
    // Far more than every socket buffer and write queue between the mock and the client can hold.
    Behavior big = Behavior.ok().content("y".repeat(32 * 1024 * 1024)).chunks(8 * 1024);
    mock.enqueue(big, big);
    Promise<Void> releaseSlow = Promise.promise();
    Promise<Void> slowHeadIn = Promise.promise();
    Future<Long> slow = gateway.open(CLIENT_KEY, Chat.streamRequest(MODEL)).compose(resp -> {
      Future<Long> counted = countBytes(resp, releaseSlow.future());
      slowHeadIn.complete();
      return counted;
    });
    slowHeadIn.future().await();
    Future<Long> fast = gateway.open(CLIENT_KEY, Chat.streamRequest(MODEL))
        .compose(resp -> countBytes(resp, Future.succeededFuture()));

    long fastBytes = fast.await();
    assertTrue(fastBytes > 32 * 1024 * 1024);
    assertEquals(1, mock.inFlight(), "the slow client's upstream is held back, not read ahead into memory");

    releaseSlow.complete();
    assertEquals(fastBytes, slow.await(), "the slow client still gets every byte");
  }

  /** Counts the bytes of a stream that ends with [DONE]; reads nothing until {@code start}. */
  private static Future<Long> countBytes(HttpClientResponse resp, Future<Void> start) {
    Context context = Vertx.currentContext();
    Promise<Long> done = Promise.promise();
    long[] bytes = {0};
    Buffer[] last = {Buffer.buffer()};
    resp.pause();
    resp.handler(chunk -> {
      bytes[0] += chunk.length();
      last[0] = chunk;
    });
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> {
      if (last[0].toString().endsWith("data: [DONE]\n\n")) {
        done.tryComplete(bytes[0]);
      } else {
        done.tryFail("stream did not end with [DONE]");
      }
    });
    start.onComplete(v -> context.runOnContext(x -> resp.resume()));
    return done.future();
  }

  /**
   * Reads one buffer, then nothing until {@code release}; after that one buffer per timer tick,
   * so the gateway sees a client that is slower than its upstream.
   */
  private static Future<String> readSlowly(HttpClientResponse resp, Future<Void> release, AtomicInteger ended) {
    Context context = Vertx.currentContext();
    Promise<String> done = Promise.promise();
    Buffer body = Buffer.buffer();
    resp.pause();
    resp.handler(body::appendBuffer);
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> {
      ended.incrementAndGet();
      done.tryComplete(body.toString());
    });
    resp.fetch(1);
    release.onComplete(v -> context.runOnContext(x -> context.owner().setPeriodic(2, id -> {
      if (done.future().isComplete()) {
        context.owner().cancelTimer(id);
      } else {
        resp.fetch(1);
      }
    })));
    return done.future();
  }
}
