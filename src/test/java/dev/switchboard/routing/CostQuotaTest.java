package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.select.Explanation;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.store.ChannelSpend;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A channel's {@code costQuota} is spent by what its answers cost, to the nano: the channel
 * leaves rotation when it is used up (explain says why), and what is left survives a restart
 * because spending is stored in batches.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CostQuotaTest {

  private static final String KEY = "sk-client-quota-000000000000000001";

  private MockUpstream mock;
  private TestGateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void aCostQuotaIsSpentByCostSkippedWhenUsedUpAndKeptAcrossARestartOnSqlite(Vertx vertx) {
    spendAndRestart(vertx, null);
  }

  @Test
  void theSameOnPostgres(Vertx vertx) {
    spendAndRestart(vertx, TestServers.emptiedPostgres(vertx));
  }

  private void spendAndRestart(Vertx vertx, JsonObject database) {
    mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().usage(40, 12, 8, 0));
    var builder = TestGateway.builder(vertx).clientKey("client", KEY)
        // 0.00021 per answer (32 × 2.5 + 8 × 1.25 + 12 × 10 per million): three answers fit in 0.0005, not four
        .channel(TestGateway.channel("metered", mock.baseUrl(), "m").put("priority", 1).put("costQuota", 0.0005))
        .channel(TestGateway.channel("spare", mock.baseUrl(), "m"))
        .pricing("models", new JsonObject().put("m", new JsonObject().put("input", 2.5).put("output", 10).put("cacheRead", 1.25)));
    if (database != null) builder.database(database);
    gateway = builder.start();

    assertEquals("metered", channelOfAnswer());
    assertEquals("metered", channelOfAnswer());
    assertEquals("0.00008", awaitCostLeft(left -> left.equals("0.00008")), "0.0005 − 2 × 0.00021, exactly");
    assertEquals("metered", channelOfAnswer(), "something is left: one more answer may overdraw it");
    assertEquals("0", awaitCostLeft(left -> left.equals("0")));
    assertEquals("spare", channelOfAnswer(), "a used-up channel is skipped");
    Explanation why = gateway.pool().explain("m", null, System.currentTimeMillis());
    assertTrue(why.candidates().stream().anyMatch(s -> "metered".equals(s.channel()) && "cost quota exhausted".equals(s.skipped())),
        why.toString());

    gateway.restart();
    assertEquals("0", costLeft(gateway.pool()), "what was spent was stored");
    assertEquals("spare", channelOfAnswer(), "still used up after the restart");
    List<ChannelSpend> stored = gateway.store().channelSpend().await();
    assertEquals(1, stored.size(), stored.toString());
    assertEquals(630_000L, stored.get(0).costNanos(), "3 × 0.00021 in nanos; the spare has no quota and is not counted");
    assertEquals(3 * 52L, stored.get(0).tokens());
  }

  private String channelOfAnswer() {
    var reply = gateway.call(KEY, new JsonObject().put("model", "m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))));
    assertEquals(200, reply.status(), reply.text());
    String route = reply.header("x-switchboard-route");
    return route.substring("channel=".length(), route.indexOf(';'));
  }

  /** The snapshot is republished at most every half second: poll it, for at most ten seconds. */
  private String awaitCostLeft(Predicate<String> wanted) {
    long deadline = System.currentTimeMillis() + 10_000;
    String left = costLeft(gateway.pool());
    while (!wanted.test(left) && System.currentTimeMillis() < deadline) {
      TestGateway.delay(gateway.vertx(), 50).await();
      left = costLeft(gateway.pool());
    }
    return left;
  }

  private static String costLeft(PoolSnapshot pool) {
    for (PoolSnapshot.ChannelStatus c : pool.status(System.currentTimeMillis())) {
      if (c.channel().name().equals("metered")) {
        return c.costLeftNanos() < 0 ? null : new dev.switchboard.pricing.Cost(c.costLeftNanos(), 0).display();
      }
    }
    return null;
  }
}
