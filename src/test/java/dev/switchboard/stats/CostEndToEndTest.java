package dev.switchboard.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A request through the gateway is stored with its cost, from the prices in the configuration. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CostEndToEndTest {

  private static final String KEY = "sk-client-cost-000000000000000001";

  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), "fast")
            .put("modelMap", new JsonObject().put("fast", "gpt-4o-2024-08-06")))
        .apiKey(new JsonObject().put("name", "client").put("key", KEY).put("returnCost", true))
        .pricing("models", new JsonObject()
            .put("gpt-4o-2024-08-06", new JsonObject().put("input", 2.5).put("output", 10).put("cacheRead", 1.25)))
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void aCachedOpenAiRequestIsStoredWithItsExactCost() {
    mock.enqueue(Behavior.ok().usage(10_000, 500, 8_000, 0));
    JsonObject request = new JsonObject().put("model", "fast")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    var reply = gateway.call(KEY, request);
    assertEquals(200, reply.status());
    assertEquals("0.02", reply.header("x-switchboard-cost"), "the client learns the cost of a whole answer");
    gateway.awaitUsageCount(1);

    Map<String, Object> row = gateway.query("SELECT * FROM usage_records").get(0);
    // 2,000 × 2.50 + 8,000 × 1.25 + 500 × 10 = 20,000 per million = $0.02
    assertEquals(20_000_000L, ((Number) row.get("cost_nanos")).longValue());
    assertEquals("openai-chat", row.get("client_protocol"));
    Map<String, Object> hour = gateway.query("SELECT * FROM usage_hourly").get(0);
    assertEquals("fast", hour.get("model"));
    assertEquals(20_000_000L, ((Number) hour.get("cost_nanos")).longValue());
    assertEquals(1L, ((Number) hour.get("requests")).longValue());
    assertTrue(gateway.metrics().registry().scrape().contains("switchboard_cost_total{model=\"fast\"} 0.02"));
  }
}
