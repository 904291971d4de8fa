package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Without Redis a key's limits are counted in memory; a restart reads its daily budget and rpd
 * back from the database (cost from the hourly rollups, admissions from the records), so a key
 * that spent its day before the restart is still refused after it, and one that had requests
 * left gets exactly those. Requests refused before routing do not count as admitted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyLimitsAcrossRestartTest {

  private static final String MODEL = "gpt-4o";
  private static final String BUDGETED = "sk-client-budget-restart-0001";
  private static final String MONTHLY = "sk-client-month-restart-00001";
  private static final String RATED = "sk-client-rpd-restart-0000001";
  private static final String FREE = "sk-client-free-restart-000001";

  private MockUpstream mock;
  private TestGateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void aSpentDailyBudgetStaysSpentAcrossARestartOnSqlite(Vertx vertx) {
    spendTheBudgetAndRestart(vertx, null);
  }

  @Test
  void theSameOnPostgres(Vertx vertx) {
    spendTheBudgetAndRestart(vertx, TestServers.emptiedPostgres(vertx));
  }

  @Test
  void requestsPerDayAreCountedAcrossARestartOnSqlite(Vertx vertx) {
    useTheRpdAcrossARestart(vertx, null);
  }

  @Test
  void requestsPerDayOnPostgres(Vertx vertx) {
    useTheRpdAcrossARestart(vertx, TestServers.emptiedPostgres(vertx));
  }

  @Test
  void bothOnMysql(Vertx vertx) {
    spendTheBudgetAndRestart(vertx, TestServers.emptiedMysql(vertx));
    gateway.close();
    gateway = null;
    useTheRpdAcrossARestart(vertx, TestServers.emptiedMysql(vertx));
  }

  private void spendTheBudgetAndRestart(Vertx vertx, JsonObject database) {
    start(vertx, database);
    Wire.awayFromWindowEnd(vertx, 86_400_000L, 60_000); // the day's budget must not reset mid-test
    // 5.0 a day, 2.0 an answer: admitted at 0, 2 and 4 spent; refused at 6
    for (int i = 1; i <= 3; i++) {
      Reply r = gateway.call(BUDGETED, Wire.chat(MODEL, "request " + i));
      assertEquals(200, r.status(), r.text());
      assertEquals(i, gateway.awaitUsageCount(i)); // settled: its cost counted
    }
    assertRefused(BUDGETED, "budget_exceeded");
    // 3.0 a month: two answers spend it
    for (int i = 1; i <= 2; i++) {
      Reply r = gateway.call(MONTHLY, Wire.chat(MODEL, "monthly " + i));
      assertEquals(200, r.status(), r.text());
    }

    gateway.restart();
    assertRefused(BUDGETED, "budget_exceeded");
    Reply month = assertRefused(MONTHLY, "budget_exceeded");
    assertTrue(month.json().getJsonObject("error").getString("message").contains("monthly"), month.text());
    assertEquals(5, mock.requestCount(), "refused requests reach no upstream");
    assertEquals(200, gateway.call(FREE, Wire.chat(MODEL)).status(), "another key is served");
  }

  private void useTheRpdAcrossARestart(Vertx vertx, JsonObject database) {
    start(vertx, database);
    Wire.awayFromWindowEnd(vertx, 86_400_000L, 60_000);
    // rpd 3: two admitted, and refusals before routing that count for nothing
    for (int i = 1; i <= 2; i++) {
      Reply r = gateway.call(RATED, Wire.chat(MODEL, "request " + i));
      assertEquals(200, r.status(), r.text());
    }
    Reply unknown = gateway.call(RATED, Wire.chat("no-such-model"));
    assertEquals(404, unknown.status(), unknown.text());
    Reply notAllowed = gateway.call(RATED, Wire.chat("gpt-4o-mini"));
    assertEquals(404, notAllowed.status(), notAllowed.text());
    assertEquals(4, gateway.awaitUsageCount(4));

    gateway.restart();
    Reply third = gateway.call(RATED, Wire.chat(MODEL, "request 3"));
    assertEquals(200, third.status(), "one request of the day was left: " + third.text());
    Reply over = assertRefused(RATED, "rate_limit_exceeded");
    assertTrue(over.json().getJsonObject("error").getString("message").contains("rpd"), over.text());
    assertEquals(6, gateway.awaitUsageCount(6));

    gateway.restart();
    assertRefused(RATED, "rate_limit_exceeded");
    assertEquals(3, mock.requestCount(), "only admitted requests reach the upstream");
  }

  private void start(Vertx vertx, JsonObject database) {
    mock = MockUpstream.start(vertx).await();
    // every answer: 1000 input and 1000 output tokens; at 1000 per million each, 2.0 per answer
    mock.defaultBehavior(Behavior.ok().usage(1000, 1000, 0, 0));
    var builder = TestGateway.builder(vertx)
        .channel(TestGateway.channel("only", mock.baseUrl(), MODEL, "gpt-4o-mini").put("keys", new JsonArray().add("sk-upstream")))
        .apiKey(new JsonObject().put("name", "budgeted").put("key", BUDGETED).put("limits", new JsonObject().put("budgetPerDay", 5)))
        .apiKey(new JsonObject().put("name", "monthly").put("key", MONTHLY).put("limits", new JsonObject().put("budgetPerMonth", 3)))
        .apiKey(new JsonObject().put("name", "rated").put("key", RATED).put("models", new JsonArray().add(MODEL))
            .put("limits", new JsonObject().put("rpd", 3)))
        .apiKey(new JsonObject().put("name", "free").put("key", FREE))
        .pricing("models", new JsonObject().put(MODEL, new JsonObject().put("input", 1000).put("output", 1000)))
        .routing("retries", 0);
    if (database != null) builder.database(database);
    gateway = builder.start();
  }

  private Reply assertRefused(String key, String code) {
    Reply refused = gateway.call(key, Wire.chat(MODEL, "refused"));
    assertEquals(429, refused.status(), refused.text());
    assertEquals(code, refused.json().getJsonObject("error").getString("code"), refused.text());
    return refused;
  }
}
