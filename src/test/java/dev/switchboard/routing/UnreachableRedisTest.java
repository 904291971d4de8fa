package dev.switchboard.routing;

import static dev.switchboard.routing.Wire.channelOf;
import static dev.switchboard.routing.Wire.chat;
import static dev.switchboard.routing.Wire.eventually;
import static dev.switchboard.routing.Wire.transitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway whose {@code redis.url} points at nothing starts, answers every request and keeps
 * its health on its own: a 429 still benches the credential locally.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnreachableRedisTest {

  private static final String KEY = "sk-client-no-redis-00000000000001";
  private static final String MODEL = "gpt-4o";

  private TestGateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void requestsAreServedAndHealthIsLocalWhenRedisIsUnreachable(Vertx vertx) throws IOException {
    MockUpstream x = MockUpstream.start(vertx).await();
    MockUpstream y = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("x", x, MODEL, "sk-x")).channel(Wire.channel("y", y, MODEL, "sk-y"))
        .group(new JsonObject().put("name", MODEL).put("strategy", "round_robin")
            .put("members", new JsonArray().add(new JsonObject().put("channel", "x")).add(new JsonObject().put("channel", "y"))))
        .clientKey("client", KEY)
        .routing("retries", 2).routing("maxCooldown", "1m")
        .redis("redis://127.0.0.1:" + closedPort())
        .start();
    x.enqueue(Behavior.rateLimited(30));
    for (int i = 0; i < 10 && x.requestCount() == 0; i++) {
      Reply r = gateway.call(KEY, chat(MODEL, "conversation " + i));
      assertEquals(200, r.status(), r.text());
    }
    assertEquals(1, x.requestCount());
    assertTrue(eventually(vertx, () -> transitions(gateway, "cooling") == 1), "benched here");
    for (int i = 0; i < 10; i++) {
      Reply r = gateway.call(KEY, chat(MODEL, "after " + i));
      assertEquals(200, r.status(), r.text());
      assertEquals("y", channelOf(r));
    }
    assertEquals(1, x.requestCount(), "x cools locally");
  }
}
