package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MODEL;
import static dev.switchboard.edge.Chat.OTHER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /v1/models}, {@code /health}, {@code /ready} and {@code /metrics} on a gateway whose
 * Vert.x is built the way {@code Main} builds it, with Micrometer metrics and JVM meters.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OperationsTest {

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL, "gpt-4o-mini"))
        .channel(TestGateway.channel("secondary", mock.baseUrl(), "o3")
            .put("modelMap", new JsonObject().put("reasoner", "o3-2025-04-16")))
        .clientKey("client", CLIENT_KEY)
        .clientKey("limited", OTHER_KEY, "gpt-4o-mini", "reasoner")
        .metrics(new GatewayMetrics(registry))
        .start();
  }

  @AfterEach
  void stop() {
    try {
      gateway.close();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void modelsListsEveryModelForAnUnrestrictedKey() {
    Reply reply = gateway.get("/v1/models", CLIENT_KEY);
    assertEquals(200, reply.status());
    assertEquals("list", reply.json().getString("object"));
    assertEquals(List.of("gpt-4o", "gpt-4o-mini", "o3", "reasoner"), ids(reply.json().getJsonArray("data")));
  }

  @Test
  void modelsListsOnlyTheModelsTheCallingKeyMayUse() {
    Reply reply = gateway.get("/v1/models", OTHER_KEY);
    assertEquals(200, reply.status());
    assertEquals(List.of("gpt-4o-mini", "reasoner"), ids(reply.json().getJsonArray("data")));
  }

  @Test
  void modelsNeedsAValidKey() {
    ErrorEnvelopeTest.assertEnvelope(gateway.get("/v1/models", null), 401, "invalid_request_error");
    ErrorEnvelopeTest.assertEnvelope(gateway.get("/v1/models", "sk-wrong-key-0000000000"), 401, "invalid_request_error");
  }

  @Test
  void healthAndReadyAnswer200WithTheDatabaseUp() {
    assertEquals(200, gateway.get("/health", null).status());
    Reply ready = gateway.get("/ready", null);
    assertEquals(200, ready.status());
    assertEquals("ok", ready.json().getString("database"));
    assertEquals(4, ready.json().getInteger("models"));
  }

  @Test
  void metricsExposeRequestsTokensAndJvmAndVertxMeters() {
    assertEquals(200, gateway.call(CLIENT_KEY, Chat.request(MODEL)).status());
    assertEquals(200, gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL)).status());

    Reply metrics = gateway.get("/metrics", null);
    assertEquals(200, metrics.status());
    String text = metrics.text();
    assertTrue(text.contains("switchboard_requests_total{"), "requests by route, model, channel and status");
    assertTrue(text.contains("model=\"gpt-4o\""), "the model label");
    assertTrue(text.contains("switchboard_tokens_total"), "token counters");
    assertTrue(text.contains("switchboard_time_to_first_token"), "time to first token");
    assertTrue(text.contains("switchboard_upstream_latency"), "upstream latency");
    assertTrue(text.contains("jvm_"), "JVM meters");
    assertTrue(text.contains("vertx_"), "Vert.x meters");
    assertFalse(text.contains(CLIENT_KEY), "no secret in a label");
  }

  private static List<String> ids(JsonArray data) {
    return data.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }
}
