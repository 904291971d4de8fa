package dev.switchboard.routing;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Key expiry and budgets over real sockets: a key past its {@code expiresAt} gets 401
 * {@code key_expired} in its protocol's envelope and never reaches an upstream; a key with
 * {@code budgetPerDay} is admitted while what its answers cost (priced from {@code pricing.models})
 * is under the budget, then refused with 429 {@code budget_exceeded} and a retry-after.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyExpiryAndBudgetTest {

  private static final String MODEL = "gpt-4o";
  private static final String EXPIRED = "sk-client-expired-00000000001";
  private static final String FUTURE = "sk-client-not-yet-expired-0001";
  private static final String BUDGETED = "sk-client-budget-000000000001";

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
    // every answer: 1000 input and 1000 output tokens; at 1000 per million each, 2.0 per answer
    mock.defaultBehavior(Behavior.ok().usage(1000, 1000, 0, 0));
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("only", mock, MODEL, "sk-upstream"))
        .apiKey(new JsonObject().put("name", "expired").put("key", EXPIRED).put("expiresAt", "2020-01-31"))
        .apiKey(new JsonObject().put("name", "future").put("key", FUTURE).put("expiresAt", "2999-01-01T00:00:00Z"))
        .apiKey(new JsonObject().put("name", "budgeted").put("key", BUDGETED).put("limits", new JsonObject().put("budgetPerDay", 5)))
        .pricing("models", new JsonObject().put(MODEL, new JsonObject().put("input", 1000).put("output", 1000)))
        .routing("retries", 0)
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void anExpiredKeyGets401KeyExpiredInItsProtocolsEnvelope() {
    Reply chat = gateway.call(EXPIRED, Wire.chat(MODEL));
    assertEquals(401, chat.status(), chat.text());
    assertEquals("key_expired", chat.json().getJsonObject("error").getString("code"));
    assertEquals("authentication_error", chat.json().getJsonObject("error").getString("type"));

    Reply messages = gateway.post("/v1/messages", EXPIRED, new JsonObject().put("model", MODEL).put("max_tokens", 16)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))).await();
    assertEquals(401, messages.status(), messages.text());
    assertEquals("authentication_error", messages.json().getJsonObject("error").getString("type"));

    Reply gemini = gateway.post("/v1beta/models/" + MODEL + ":generateContent", EXPIRED, new JsonObject().put("contents",
        new JsonArray().add(new JsonObject().put("role", "user").put("parts", new JsonArray().add(new JsonObject().put("text", "hi")))))).await();
    assertEquals(401, gemini.status(), gemini.text());
    assertEquals("UNAUTHENTICATED", gemini.json().getJsonObject("error").getString("status"));

    assertEquals(0, mock.requestCount(), "an expired key reaches no upstream");
    assertEquals(200, gateway.call(FUTURE, Wire.chat(MODEL)).status(), "a key expiring later is served");
  }

  @Test
  void aDailyBudgetAdmitsWhileUnspentThenAnswers429BudgetExceeded() {
    spendTheBudget(false);
  }

  @Test
  void streamedAnswersCountAgainstTheBudgetToo() {
    spendTheBudget(true);
  }

  private void spendTheBudget(boolean stream) {
    Wire.awayFromWindowEnd(vertx, 86_400_000L, 60_000); // the day's budget must not reset mid-test
    // 5.0 a day, 2.0 an answer: admitted at 0, 2 and 4 spent; refused at 6
    for (int i = 1; i <= 3; i++) {
      Reply r = gateway.call(BUDGETED, Wire.chat(MODEL, "request " + i).put("stream", stream));
      assertEquals(200, r.status(), r.text());
      // the request has settled (its cost counted) once its usage record is written
      assertEquals(i, gateway.awaitUsageCount(i));
    }
    for (int i = 0; i < 3; i++) {
      Reply refused = gateway.call(BUDGETED, Wire.chat(MODEL, "over budget " + i));
      assertEquals(429, refused.status(), refused.text());
      assertEquals("budget_exceeded", refused.json().getJsonObject("error").getString("code"));
      assertEquals("rate_limit_error", refused.json().getJsonObject("error").getString("type"));
      long wait = Long.parseLong(refused.header("retry-after"));
      assertTrue(wait >= 1 && wait <= 86_400, "until the UTC day ends: " + wait);
    }
    assertEquals(3, mock.requestCount(), "refused requests reach no upstream");
    // the cost recorded for those answers is what the budget counted: 3 × 2.0
    Object nanos = gateway.query("SELECT SUM(cost_nanos) AS c FROM usage_records WHERE status = 200").get(0).get("c");
    assertEquals(6_000_000_000L, ((Number) nanos).longValue());
  }
}
