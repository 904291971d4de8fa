package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.store.Store;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping a two-edge gateway the way SIGTERM does, with requests in flight: they finish, and every
 * request the clients got an answer to has its usage record in the database afterwards.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulStopTest {

  private static final int REQUESTS = 300;
  private static final int STOP_AFTER = 100;

  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().content("one two three four five six seven eight nine ten").tokenDelayMs(10)
        .headerDelayMs(20));
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL))
        .clientKey("client", CLIENT_KEY)
        .server("shutdownGrace", "20s")
        .server("instances", 2)
        .stats("flushInterval", "10m")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void everyAnsweredRequestHasItsUsageRecordAfterAGracefulStop() {
    AtomicInteger settled = new AtomicInteger();
    Promise<Void> enoughAnswered = Promise.promise();
    List<Future<Reply>> calls = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String key = i % 10 == 9 ? "sk-not-a-valid-key-000000" : CLIENT_KEY;
      JsonObject body = i % 2 == 0 ? Chat.streamRequest(MODEL) : Chat.request(MODEL);
      Future<Reply> call = gateway.post("/v1/chat/completions", key, body);
      call.onComplete(ar -> {
        if (settled.incrementAndGet() == STOP_AFTER) enoughAnswered.complete();
      });
      calls.add(call);
    }

    enoughAnswered.future().await();
    int answeredBeforeStop = answered(calls);
    gateway.stop();
    Future.join(calls).otherwiseEmpty().await();

    int answered = answered(calls);
    assertTrue(answered > answeredBeforeStop, "requests in flight at stop were answered too");
    for (Future<Reply> call : calls) {
      if (call.succeeded() && call.result().status() == 200 && call.result().header("content-type").startsWith("text/event-stream")) {
        assertTrue(call.result().text().endsWith("data: [DONE]\n\n"), "a stream in flight was finished, not cut");
      }
    }
    Store reopened = gateway.reopenStore();
    try {
      assertEquals(answered, reopened.countUsage().await(), "records in the database = requests answered");
    } finally {
      reopened.close().await();
    }
  }

  /** Requests whose client read a whole answer, whatever its status. */
  private static int answered(List<Future<Reply>> calls) {
    return (int) calls.stream().filter(Future::succeeded).count();
  }
}
