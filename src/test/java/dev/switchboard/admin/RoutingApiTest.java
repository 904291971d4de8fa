package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routing dry run and the live pool status read the selector's current snapshot: a credential
 * cooling after a 429 is shown skipped (explain) and cooling (pool) at once, with its reason.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RoutingApiTest {

  private static final String KEY = "sk-routing-client-000000001";
  private static final String NARROW = "sk-routing-narrow-000000002";
  private static final String LIMITED_SECRET = "limited-upstream-secret-000001";
  private static final String HEALTHY_SECRET = "healthy-upstream-secret-000002";

  private MockUpstream limited;
  private MockUpstream healthy;
  private AdminFixture api;
  private Vertx vertx;
  private String viewer;
  private String admin;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    limited = MockUpstream.start(vertx).await();
    healthy = MockUpstream.start(vertx).await();
    limited.defaultBehavior(Behavior.rateLimited(60));
    api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(TestGateway.channel("limited", limited.baseUrl(), "m1").put("keys", new JsonArray().add(LIMITED_SECRET)))
        .channel(TestGateway.channel("healthy", healthy.baseUrl(), "m1", "m2").put("keys", new JsonArray().add(HEALTHY_SECRET))
            .put("limits", new JsonObject().put("rpm", 600)).put("quota", 1_000_000).put("costQuota", 12.5)
            .put("tags", new JsonArray().add("primary")))
        .clientKey("all", KEY)
        .clientKey("narrow", NARROW, "m2"));
    viewer = api.token("view");
    admin = api.token("admin");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (limited != null) limited.close().await();
    if (healthy != null) healthy.close().await();
  }

  private int sent;

  /** A new conversation each time, so session affinity does not keep it on one credential. */
  private Reply chat(String model) {
    return api.gateway.call(KEY, new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi " + sent++))));
  }

  /** Requests until one has met the rate-limited channel (picks are spread, so it may take a few). */
  private void coolTheLimitedChannel() {
    for (int i = 0; i < 40 && limited.requestCount() == 0; i++) {
      assertEquals(200, chat("m1").status(), "the healthy channel answers, after a retry if need be");
    }
    assertTrue(limited.requestCount() > 0, "a request met the rate-limited channel");
  }

  private JsonObject candidate(JsonObject explain, String channel) {
    return explain.getJsonArray("candidates").stream().map(JsonObject.class::cast)
        .filter(c -> channel.equals(c.getString("channel"))).findFirst().orElseThrow();
  }

  private JsonObject channel(JsonObject pool, String name) {
    return pool.getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(c -> name.equals(c.getString("name"))).findFirst().orElseThrow();
  }

  @Test
  void explainListsEveryCandidateAndWhyItWouldBeSkippedNow() {
    Reply before = api.get("/routing/explain?model=m1", admin);
    assertEquals(200, before.status(), before.text());
    JsonObject e = before.json();
    assertEquals("m1", e.getString("model"));
    assertEquals("m1", e.getString("resolved"));
    assertTrue(e.getBoolean("served"));
    assertEquals(0, e.getInteger("tier"));
    assertEquals(2, e.getJsonArray("candidates").size());
    for (Object o : e.getJsonArray("candidates")) {
      JsonObject c = (JsonObject) o;
      assertTrue(c.getBoolean("usable"), c.encode());
      assertNull(c.getString("skipped"));
      assertEquals("m1", c.getString("upstreamModel"));
      assertNotNull(c.getLong("credentialId"));
    }

    coolTheLimitedChannel();
    JsonObject after = api.get("/routing/explain?model=m1", admin).json();
    JsonObject cooling = candidate(after, "limited");
    assertFalse(cooling.getBoolean("usable"));
    assertTrue(cooling.getString("skipped").startsWith("cooling for "), cooling.encode());
    assertTrue(cooling.getString("skipped").contains("rate limited (429)"), cooling.encode());
    assertTrue(candidate(after, "healthy").getBoolean("usable"));
    assertEquals(0, after.getInteger("tier"), "the healthy candidate of tier 0 would serve");
    assertFalse(after.encode().contains(LIMITED_SECRET) || after.encode().contains(HEALTHY_SECRET));
  }

  @Test
  void explainForAKeySaysWhenTheKeyItselfIsRefused() {
    List<JsonObject> keys = api.get("/keys?source=config", viewer).json().getJsonArray("items").stream()
        .map(JsonObject.class::cast).toList();
    long narrow = keys.stream().filter(k -> "narrow".equals(k.getString("name"))).findFirst().orElseThrow().getLong("id");
    long all = keys.stream().filter(k -> "all".equals(k.getString("name"))).findFirst().orElseThrow().getLong("id");

    JsonObject refused = api.get("/routing/explain?model=m1&key=" + narrow, admin).json();
    assertEquals("narrow", refused.getJsonObject("key").getString("name"));
    assertEquals("key 'narrow' may not use m1", refused.getJsonObject("key").getString("refused"));
    assertNull(refused.getInteger("tier"), "nothing would serve this key");
    refused.getJsonArray("candidates").forEach(o -> assertFalse(((JsonObject) o).getBoolean("usable")));

    JsonObject allowed = api.get("/routing/explain?model=m2&key=" + narrow, admin).json();
    assertNull(allowed.getJsonObject("key").getString("refused"));
    assertEquals(1, allowed.getJsonArray("candidates").size());
    assertEquals("healthy", allowed.getJsonArray("candidates").getJsonObject(0).getString("channel"));
    assertEquals(0, allowed.getInteger("tier"));
    assertNull(api.get("/routing/explain?model=m1&key=" + all, admin).json().getJsonObject("key").getString("refused"));

    String operator = api.token("oper");
    JsonObject created = api.post("/keys", operator, new JsonObject().put("name", "soon-revoked")).json();
    long revokedId = created.getLong("id");
    assertEquals(200, api.post("/keys/" + revokedId + "/revoke", operator, null).status());
    JsonObject revoked = api.get("/routing/explain?model=m1&key=" + revokedId, admin).json();
    assertEquals("key 'soon-revoked' is disabled", revoked.getJsonObject("key").getString("refused"));
    assertNull(revoked.getInteger("tier"));
  }

  @Test
  void explainValidatesItsQuery() {
    Reply missing = api.get("/routing/explain", admin);
    assertEquals(400, missing.status());
    assertEquals("validation_failed", missing.json().getJsonObject("error").getString("code"));
    assertTrue(missing.json().getJsonObject("error").getJsonObject("fields").containsKey("model"));
    Reply badKey = api.get("/routing/explain?model=m1&key=abc", admin);
    assertEquals(400, badKey.status());
    assertTrue(badKey.json().getJsonObject("error").getJsonObject("fields").containsKey("key"));
    assertEquals(404, api.get("/routing/explain?model=m1&key=999999", admin).status());
    JsonObject unknown = api.get("/routing/explain?model=no-such-model", admin).json();
    assertFalse(unknown.getBoolean("served"));
    assertNull(unknown.getString("resolved"));
    assertEquals(0, unknown.getJsonArray("candidates").size());
    assertEquals(401, api.get("/routing/explain?model=m1", null).status());
  }

  @Test
  void poolShowsBenchesAndMeasuredLatency() throws Exception {
    JsonObject fresh = api.get("/pool", viewer).json();
    assertEquals(2, fresh.getLong("total"));
    JsonObject quiet = channel(fresh, "healthy");
    assertEquals("ready", quiet.getJsonArray("credentials").getJsonObject(0).getString("state"));
    assertTrue(quiet.getBoolean("enabled"));
    assertNull(quiet.getJsonArray("baseUrls").getJsonObject(0).getValue("latencyMs"), "nothing measured yet");
    assertEquals(600, quiet.getJsonObject("limits").getLong("rpm"));
    assertEquals(0, quiet.getJsonObject("limits").getLong("tpm"), "0: no cap");
    assertEquals(1_000_000, quiet.getJsonObject("limits").getLong("quota"));
    assertEquals(1_000_000, quiet.getLong("quotaLeft"));
    assertEquals(List.of("primary"), quiet.getJsonObject("limits").getJsonArray("tags").getList());
    assertNull(channel(fresh, "limited").getValue("quotaLeft"), "no quota");
    assertEquals("12.5", quiet.getJsonObject("limits").getString("costQuota"));
    assertEquals("12.5", quiet.getString("costQuotaLeft"), "nothing spent yet (no price known either)");
    assertNull(channel(fresh, "limited").getValue("costQuotaLeft"), "no cost quota");

    coolTheLimitedChannel();
    JsonObject pool = null;
    Object latency = null;
    for (int i = 0; i < 50 && latency == null; i++) {
      pool = api.get("/pool", viewer).json();
      latency = channel(pool, "healthy").getJsonArray("baseUrls").getJsonObject(0).getValue("latencyMs");
      // measurements are published at most every 500 ms
      if (latency == null) TestGateway.delay(vertx, 100).await();
    }
    assertNotNull(latency, "the healthy base URL's latency is measured: " + pool.encode());
    JsonObject credential = channel(pool, "limited").getJsonArray("credentials").getJsonObject(0);
    assertEquals("cooling", credential.getString("state"), credential.encode());
    JsonObject bench = credential.getJsonArray("benches").getJsonObject(0);
    assertEquals("cooling", bench.getString("state"));
    assertEquals("m1", bench.getString("model"));
    assertEquals("rate limited (429)", bench.getString("reason"));
    assertTrue(java.time.Instant.parse(bench.getString("until")).isAfter(java.time.Instant.now().plusSeconds(30)),
        "cooling for the upstream's retry-after: " + bench);
    assertEquals("ready", channel(pool, "healthy").getJsonArray("credentials").getJsonObject(0).getString("state"));

    JsonObject onlyBenched = api.get("/pool?benched=true", viewer).json();
    assertEquals(1, onlyBenched.getLong("total"));
    assertEquals("limited", onlyBenched.getJsonArray("items").getJsonObject(0).getString("name"));
    assertEquals(400, api.get("/pool?benched=maybe", viewer).status());
    assertEquals(1, api.get("/pool?limit=1", viewer).json().getJsonArray("items").size());
    String text = api.get("/pool", viewer).text();
    assertFalse(text.contains(LIMITED_SECRET) || text.contains(HEALTHY_SECRET), "no upstream secret in the pool status");
    assertEquals(401, api.get("/pool", null).status());
  }
}
