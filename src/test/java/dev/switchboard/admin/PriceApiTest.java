package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Prices added over the API are new versions, and price the very next request. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PriceApiTest {

  private static final String KEY = "sk-price-client-00000000001";

  private MockUpstream mock;
  private AdminFixture api;
  private String operator;
  private String viewer;
  private long channelId;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), "fast").put("modelMap", new JsonObject().put("fast", "up-model")))
        .apiKey(new JsonObject().put("name", "client").put("key", KEY).put("returnCost", true))
        .pricing("models", new JsonObject().put("declared-model", new JsonObject().put("input", 1).put("output", 2))));
    operator = api.token("oper");
    viewer = api.token("view");
    channelId = api.get("/channels", viewer).json().getJsonArray("items").getJsonObject(0).getLong("id");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  private Reply chat() {
    mock.enqueue(Behavior.ok().usage(1_000_000, 100_000, 0, 0));
    return api.gateway.call(KEY, new JsonObject().put("model", "fast")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
  }

  @Test
  void anOperatorPriceAppliesToTheNextRequestAtOnce() {
    assertNull(chat().header("x-switchboard-cost"), "no price known yet");

    Reply created = api.post("/prices", operator, new JsonObject().put("model", "up-model").put("input", "2.5").put("output", 10));
    assertEquals(201, created.status(), created.text());
    JsonObject p = created.json();
    assertEquals("default", p.getString("scope"));
    assertEquals("api", p.getString("source"));
    assertEquals("2.5", p.getString("input"));
    assertEquals("10", p.getString("output"));
    assertNull(p.getValue("channel"));
    assertTrue(p.getBoolean("inForce"));
    assertTrue(p.getLong("id") > 0);
    // 1,000,000 × 2.5 + 100,000 × 10 per million = 3.5
    assertEquals("3.5", chat().header("x-switchboard-cost"), "the price book was reloaded before the call answered");

    Reply forChannel = api.post("/prices", operator, new JsonObject().put("model", "up-model").put("channel", channelId)
        .put("input", 1).put("output", "0.5").put("cacheRead", "0.1"));
    assertEquals(201, forChannel.status(), forChannel.text());
    assertEquals("channel", forChannel.json().getString("scope"));
    assertEquals(channelId, forChannel.json().getLong("channel"));
    assertEquals("primary", forChannel.json().getString("channelName"));
    assertEquals("0.1", forChannel.json().getString("cacheRead"));
    assertEquals("1.05", chat().header("x-switchboard-cost"), "the channel's own price wins over the default");

    JsonObject audit = api.get("/audit?action=price.create", api.token("admin")).json();
    assertEquals(2, audit.getLong("total"));
    assertEquals("oper", audit.getJsonArray("items").getJsonObject(0).getString("actor"));
  }

  @Test
  void listingShowsVersionsNewestFirstWithFilters() {
    JsonObject declared = api.get("/prices", viewer).json();
    assertEquals(1, declared.getLong("total"), declared.encode());
    assertEquals("config", declared.getJsonArray("items").getJsonObject(0).getString("source"));

    String later = Instant.ofEpochMilli(System.currentTimeMillis() + 3_600_000).toString();
    assertEquals(201, api.post("/prices", operator, new JsonObject().put("model", "m").put("input", 1).put("output", 1)).status());
    Reply scheduled = api.post("/prices", operator, new JsonObject().put("model", "m").put("input", 2).put("output", 2)
        .put("effectiveFrom", later));
    assertEquals(201, scheduled.status(), scheduled.text());
    assertFalse(scheduled.json().getBoolean("inForce"), "a version from a later time is not in force yet");
    assertEquals(Instant.parse(later).toString(), scheduled.json().getString("effectiveFrom"));

    JsonObject all = api.get("/prices", viewer).json();
    assertEquals(3, all.getLong("total"));
    assertEquals("2", all.getJsonArray("items").getJsonObject(0).getString("input"), "newest first");
    JsonObject m = api.get("/prices?model=m&inForce=true", viewer).json();
    assertEquals(1, m.getLong("total"));
    assertEquals("1", m.getJsonArray("items").getJsonObject(0).getString("input"));
    assertEquals(1, api.get("/prices?scope=default&q=declared", viewer).json().getLong("total"));
    assertEquals(0, api.get("/prices?scope=channel", viewer).json().getLong("total"));
    assertEquals("declared-model", api.get("/prices?sort=model", viewer).json().getJsonArray("items").getJsonObject(0).getString("model"));
    Reply bad = api.get("/prices?scope=galaxy&channel=x&inForce=perhaps&sort=secret", viewer);
    assertEquals(400, bad.status());
    assertEquals(Set.of("scope", "channel", "inForce"), bad.json().getJsonObject("error").getJsonObject("fields").fieldNames());
  }

  @Test
  void invalidPricesAreRefusedFieldByField() {
    Reply empty = api.post("/prices", operator, new JsonObject());
    assertEquals(400, empty.status());
    assertEquals(Set.of("model", "input", "output"), empty.json().getJsonObject("error").getJsonObject("fields").fieldNames());

    Reply bad = api.post("/prices", operator, new JsonObject().put("model", "m").put("input", -1).put("output", "abc")
        .put("cacheRead", true).put("effectiveFrom", "2001-01-01T00:00:00Z").put("channel", "primary").put("colour", "red"));
    assertEquals(400, bad.status());
    assertEquals("validation_failed", bad.json().getJsonObject("error").getString("code"));
    assertEquals(Set.of("input", "output", "cacheRead", "effectiveFrom", "channel", "colour"),
        bad.json().getJsonObject("error").getJsonObject("fields").fieldNames(), bad.text());

    Reply noChannel = api.post("/prices", operator, new JsonObject().put("model", "m").put("input", 1).put("output", 1)
        .put("channel", 999_999));
    assertEquals(400, noChannel.status());
    assertTrue(noChannel.json().getJsonObject("error").getJsonObject("fields").containsKey("channel"));
    assertEquals(400, api.post("/prices", operator, new JsonObject().put("model", "m").put("input", "1e400").put("output", 1)).status());
    assertEquals(1, api.get("/prices", viewer).json().getLong("total"), "nothing was stored");

    assertEquals(403, api.post("/prices", viewer, new JsonObject().put("model", "m").put("input", 1).put("output", 1)).status());
    assertEquals(401, api.get("/prices", null).status());
  }
}
