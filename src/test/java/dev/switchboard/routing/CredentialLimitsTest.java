package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A credential's own limit (channel {@code limits: {rpm: 5}}) under 100 concurrent requests: it
 * takes exactly 5, the next tier takes the rest, and a full credential is no attempt (every
 * request is served on its first attempt even with {@code retries: 0}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CredentialLimitsTest {

  private static final String KEY = "sk-client-cred-limits-0000001";
  private static final String MODEL = "gpt-4o";

  private MockUpstream limited;
  private MockUpstream spare;
  private TestGateway gateway;
  private Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    limited = MockUpstream.start(vertx).await();
    spare = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("limited", limited, MODEL, "sk-limited").put("limits", new JsonObject().put("rpm", 5)))
        .channel(Wire.channel("spare", spare, MODEL, "sk-spare"))
        .group(new JsonObject().put("name", MODEL).put("tiers", new JsonArray()
            .add(new JsonObject().put("members", new JsonArray().add(new JsonObject().put("channel", "limited"))))
            .add(new JsonObject().put("members", new JsonArray().add(new JsonObject().put("channel", "spare"))))))
        .clientKey("client", KEY)
        .routing("retries", 0)
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aCredentialAtItsRpmTakesExactlyThatManyAndTheNextTierTheRest() {
    Wire.awayFromWindowEnd(vertx, 60_000, 20_000);
    List<Future<Reply>> all = new ArrayList<>();
    for (int i = 0; i < 100; i++) all.add(gateway.post("/v1/chat/completions", KEY, Wire.chat(MODEL, "conversation " + i)));
    Future.join(all).await();
    for (Future<Reply> f : all) {
      assertEquals(200, f.result().status(), f.result().text());
      assertEquals(1, Wire.attemptsOf(f.result()), "a full credential is skipped, not attempted");
    }
    assertEquals(5, limited.requestCount());
    assertEquals(95, spare.requestCount());
  }
}
