package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Usage series and breakdowns over real requests, from the hourly rollups. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class UsageApiTest {

  private static final String ALICE = "sk-usage-alice-000000000001";
  private static final String BOB = "sk-usage-bob-00000000000002";

  private MockUpstream mock;
  private AdminFixture api;
  private String viewer;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(TestGateway.channel("first", mock.baseUrl(), "m1"))
        .channel(TestGateway.channel("second", mock.baseUrl(), "m2"))
        .clientKey("alice", ALICE)
        .clientKey("bob", BOB)
        .pricing("models", new JsonObject().put("m1", new JsonObject().put("input", 1).put("output", 2))));
    viewer = api.token("view");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  private void chat(String key, String model) {
    mock.enqueue(Behavior.ok().usage(1_000, 500, 0, 0));
    Reply r = api.gateway.call(key, new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertEquals(200, r.status(), r.text());
  }

  private long id(String path, String name) {
    return api.get(path, viewer).json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(o -> name.equals(o.getString("name"))).findFirst().orElseThrow().getLong("id");
  }

  @Test
  void seriesAndBreakdownsSumTheRequests() {
    chat(ALICE, "m1");
    chat(ALICE, "m1");
    chat(ALICE, "m2");
    chat(BOB, "m1");
    api.gateway.awaitUsageCount(4);

    JsonObject series = api.get("/usage/series", viewer).json();
    List<JsonObject> points = series.getJsonArray("points").stream().map(JsonObject.class::cast).toList();
    assertEquals(4, points.stream().mapToLong(p -> p.getLong("requests")).sum(), series.encode());
    assertEquals(6_000, points.stream().mapToLong(p -> p.getLong("inputTokens") + p.getLong("outputTokens")).sum() / 1);
    Instant hour = Instant.parse(points.get(points.size() - 1).getString("hour"));
    assertEquals(0, hour.toEpochMilli() % 3_600_000, "points are hours");
    // m1 × 3: 1,000 × 1 + 500 × 2 per million = 0.002 each
    assertEquals("0.006", points.stream().map(p -> new java.math.BigDecimal(p.getString("cost")))
        .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add).stripTrailingZeros().toPlainString());

    long alice = id("/keys", "alice");
    JsonObject aliceM1 = api.get("/usage/series?key=" + alice + "&model=m1", viewer).json();
    assertEquals(2, aliceM1.getJsonArray("points").stream().mapToLong(p -> ((JsonObject) p).getLong("requests")).sum());
    assertEquals(alice, aliceM1.getLong("key"));

    JsonObject byKey = api.get("/usage/breakdown?by=key", viewer).json();
    assertEquals(2, byKey.getLong("total"));
    JsonObject top = byKey.getJsonArray("items").getJsonObject(0);
    assertEquals("alice", top.getString("name"), "costliest first");
    assertEquals(alice, top.getLong("key"));
    assertEquals(3, top.getLong("requests"));
    assertEquals("key", byKey.getString("by"));

    JsonObject byChannel = api.get("/usage/breakdown?by=channel", viewer).json();
    assertEquals(Set.of("first", "second"), byChannel.getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("name")).collect(java.util.stream.Collectors.toSet()));
    long second = id("/channels", "second");
    JsonObject onlySecond = api.get("/usage/breakdown?by=model&channel=" + second, viewer).json();
    assertEquals(1, onlySecond.getLong("total"));
    assertEquals("m2", onlySecond.getJsonArray("items").getJsonObject(0).getString("model"));
    assertEquals(1, onlySecond.getJsonArray("items").getJsonObject(0).getLong("unpriced"), "m2 has no price");

    JsonObject paged = api.get("/usage/breakdown?by=model&limit=1&offset=1", viewer).json();
    assertEquals(2, paged.getLong("total"));
    assertEquals(1, paged.getJsonArray("items").size());

    String past = Instant.now().minusSeconds(30 * 86_400L).toString();
    String pastEnd = Instant.now().minusSeconds(29 * 86_400L).toString();
    assertEquals(0, api.get("/usage/series?from=" + past + "&to=" + pastEnd, viewer).json().getJsonArray("points").size());
  }

  @Test
  void queriesAreValidatedFieldByField() {
    Reply noBy = api.get("/usage/breakdown", viewer);
    assertEquals(400, noBy.status());
    assertTrue(noBy.json().getJsonObject("error").getJsonObject("fields").containsKey("by"));
    Reply bad = api.get("/usage/breakdown?by=colour&from=yesterday&key=-1&channel=x", viewer);
    assertEquals(400, bad.status());
    assertEquals(Set.of("by", "from", "key", "channel"), bad.json().getJsonObject("error").getJsonObject("fields").fieldNames());
    Reply backwards = api.get("/usage/series?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", viewer);
    assertEquals(400, backwards.status());
    assertTrue(backwards.json().getJsonObject("error").getJsonObject("fields").containsKey("to"));
    assertEquals(400, api.get("/usage/series?from=0&to=2030-01-01T00:00:00Z", viewer).status(), "at most 367 days at once");
    assertEquals(200, api.get("/usage/series?from=1700000000000&to=1700003600000", viewer).status(), "epoch milliseconds");
    assertEquals(401, api.get("/usage/series", null).status());
  }
}
