package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.store.CredentialSpend;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Quotas over the management API, end to end with the mock upstream: a credential's own money
 * quota is spent by what its answers cost, then the credential is skipped (explain and the
 * request log say why) while its sibling serves; its count is stored and survives a restart; a
 * quota set on a run-time channel applies; a reset puts either back in rotation at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class QuotaApiTest {

  private static final String KEY = "sk-client-quota-api-00000000001";
  /** 0.00021 per answer (32 × 2.5 + 8 × 1.25 + 12 × 10 per million), 52 tokens. */
  private static final JsonObject PRICES = new JsonObject().put("m", new JsonObject().put("input", 2.5).put("output", 10)
      .put("cacheRead", 1.25));

  private MockUpstream mock;
  private int conversations;
  private AdminFixture api;

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  @Test
  void aCredentialWithACostQuotaServesUntilSpentThenItsSiblingServesAcrossARestartOnSqlite(Vertx vertx) {
    credentialQuota(vertx, null);
  }

  @Test
  void theSameOnPostgres(Vertx vertx) {
    credentialQuota(vertx, TestServers.emptiedPostgres(vertx));
  }

  private void credentialQuota(Vertx vertx, JsonObject database) {
    mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().usage(40, 12, 8, 0));
    TestGateway.Builder builder = TestGateway.builder(vertx).clientKey("client", KEY)
        .channel(TestGateway.channel("pair", mock.baseUrl(), "m")
            .put("keys", new JsonArray().add("sk-upstream-first-000001").add("sk-upstream-second-00002")))
        // the earliest credential while it is usable: the first, until its quota is spent
        .group(new JsonObject().put("name", "m").put("tiers", new JsonArray().add(new JsonObject().put("strategy", "oldest_first")
            .put("members", new JsonArray().add(new JsonObject().put("channel", "pair"))))))
        .pricing("models", PRICES);
    if (database != null) builder.database(database);
    api = AdminFixture.start(builder);
    String operator = api.token("oper");
    JsonArray creds = api.get("/channels", operator).json().getJsonArray("items").getJsonObject(0).getJsonArray("credentials");
    long first = creds.getJsonObject(0).getLong("id");
    long second = creds.getJsonObject(1).getLong("id");

    Reply bad = api.call(HttpMethod.PATCH, "/credentials/" + first, operator, new JsonObject().put("costQuota", "0.0000000001"));
    assertEquals(400, bad.status(), bad.text());
    assertNotNull(bad.json().getJsonObject("error").getJsonObject("fields").getString("costQuota"), bad.text());
    Reply set = api.call(HttpMethod.PATCH, "/credentials/" + first, operator, new JsonObject().put("costQuota", 0.0005));
    assertEquals(200, set.status(), set.text());
    assertEquals("0.0005", set.json().getString("costQuota"));
    assertNull(set.json().getValue("quota"));
    assertEquals("0.0005", credentialLeft(operator, first, "costQuotaLeft"), "in force when the call answers");
    assertNull(credentialLeft(operator, second, "costQuotaLeft"), "the sibling has no quota");

    assertEquals(first, credentialOfAnswer());
    assertEquals(first, credentialOfAnswer());
    awaitLeft(operator, first, "0.00008");
    assertEquals(first, credentialOfAnswer(), "something is left: one more answer may overdraw it");
    awaitLeft(operator, first, "0");
    Reply served = answer();
    assertEquals(second, credentialOf(served), "a spent credential is skipped while its sibling serves");

    String admin = api.token("admin");
    JsonArray candidates = api.get("/routing/explain?model=m", admin).json().getJsonArray("candidates");
    assertTrue(candidates.stream().map(JsonObject.class::cast).anyMatch(c -> Objects.equals(c.getLong("credentialId"), first)
        && "credential quota exhausted".equals(c.getString("skipped"))), candidates.encode());
    api.gateway.awaitUsageCount(4);
    JsonObject trail = api.get("/requests/" + served.header("x-request-id"), operator).json().getJsonObject("trail");
    assertTrue(trail.getJsonArray("skipped").stream().map(JsonObject.class::cast)
        .anyMatch(s -> s.getLong("credentialId") == first && "credential quota exhausted".equals(s.getString("reason"))), trail.encode());

    api.gateway.restart();
    operator = api.token("oper");
    assertEquals("0", credentialLeft(operator, first, "costQuotaLeft"), "what was spent was stored");
    assertEquals(second, credentialOfAnswer(), "still spent after the restart");
    List<CredentialSpend> stored = api.gateway.store().credentialSpend().await();
    assertEquals(List.of(new CredentialSpend(first, 3 * 52L, 630_000L)), stored, "the sibling has no quota and is not counted");

    Reply viewerReset = api.post("/credentials/" + first + "/quota/reset", api.token("view"), new JsonObject());
    assertEquals(403, viewerReset.status(), viewerReset.text());
    Reply reset = api.post("/credentials/" + first + "/quota/reset", operator, new JsonObject());
    assertEquals(200, reset.status(), reset.text());
    assertEquals("0.0005", credentialLeft(operator, first, "costQuotaLeft"), "whole again at once");
    assertEquals(first, credentialOfAnswer(), "back in rotation");
    awaitLeft(operator, first, "0.00029");
    assertTrue(api.get("/audit", api.token("admin")).json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .anyMatch(e -> "credential.quota.reset".equals(e.getString("action"))), "audited");

    api.gateway.restart();
    assertEquals("0.00029", credentialLeft(api.token("oper"), first, "costQuotaLeft"), "the reset was stored too");
  }

  @Test
  void aQuotaSetOverTheApiOnARunTimeChannelAppliesAndAResetPutsItBack(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().usage(40, 12, 8, 0));
    api = AdminFixture.start(TestGateway.builder(vertx).clientKey("client", KEY)
        .channel(TestGateway.channel("spare", mock.baseUrl(), "m")).pricing("models", PRICES));
    String operator = api.token("oper");
    JsonObject body = new JsonObject().put("name", "metered").put("baseUrls", new JsonArray().add(mock.baseUrl()))
        .put("models", new JsonArray().add("m")).put("priority", 1).put("keys", new JsonArray().add("sk-upstream-metered-0001"));
    for (Object wrong : List.of(-1, 1.5, "many")) {
      Reply r = api.post("/channels", operator, body.copy().put("quota", wrong));
      assertEquals(400, r.status(), wrong + ": " + r.text());
      assertNotNull(r.json().getJsonObject("error").getJsonObject("fields").getString("quota"), r.text());
    }
    // two answers of 52 tokens spend a quota of 100
    Reply created = api.post("/channels", operator, body.copy().put("quota", 100));
    assertEquals(201, created.status(), created.text());
    assertEquals(100, created.json().getLong("quota"));
    long id = created.json().getLong("id");

    assertEquals("metered", channelOfAnswer());
    assertEquals("metered", channelOfAnswer());
    awaitChannelLeft(operator, 0);
    assertEquals("spare", channelOfAnswer(), "a spent channel is skipped");
    JsonArray candidates = api.get("/routing/explain?model=m", api.token("admin")).json().getJsonArray("candidates");
    assertTrue(candidates.stream().map(JsonObject.class::cast)
        .anyMatch(c -> "metered".equals(c.getString("channel")) && "quota exhausted".equals(c.getString("skipped"))), candidates.encode());

    Reply reset = api.post("/channels/" + id + "/quota/reset", operator, new JsonObject());
    assertEquals(200, reset.status(), reset.text());
    assertEquals(100L, channelLeft(operator), "whole again at once");
    assertEquals("metered", channelOfAnswer(), "back in rotation");

    // raising it over the API applies too, counted against what was used since the reset
    Reply raised = api.call(HttpMethod.PATCH, "/channels/" + id, operator, new JsonObject().put("quota", 1_000));
    assertEquals(200, raised.status(), raised.text());
    awaitChannelLeft(operator, 1_000 - 52);
    Reply cleared = api.call(HttpMethod.PATCH, "/channels/" + id, operator, new JsonObject().putNull("quota"));
    assertEquals(200, cleared.status(), cleared.text());
    assertNull(cleared.json().getValue("quota"));
    assertNull(channelLeft(operator), "no quota, nothing left to show");
    assertTrue(api.get("/audit", api.token("admin")).json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .anyMatch(e -> "channel.quota.reset".equals(e.getString("action")) && ("channel:" + id).equals(e.getString("target"))),
        "audited");
  }

  /** Each a new conversation, so no session binding chooses the credential. */
  @Test
  void keysGivenAsObjectsCarryTheirCredentialsQuotasAndPlainKeysKeepThem(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().usage(40, 12, 8, 0));
    api = AdminFixture.start(TestGateway.builder(vertx).clientKey("client", KEY).pricing("models", PRICES));
    String operator = api.token("oper");
    JsonObject body = new JsonObject().put("name", "keyed").put("baseUrls", new JsonArray().add(mock.baseUrl()))
        .put("models", new JsonArray().add("m"));
    Reply bad = api.post("/channels", operator, body.copy().put("keys", new JsonArray()
        .add(new JsonObject().put("key", "sk-upstream-keyed-000001").put("quota", -1).put("owner", "me"))));
    assertEquals(400, bad.status(), bad.text());
    JsonObject fields = bad.json().getJsonObject("error").getJsonObject("fields");
    assertNotNull(fields.getString("keys[0].quota"), bad.text());
    assertNotNull(fields.getString("keys[0].owner"), "unknown fields are refused: " + bad.text());
    assertTrue(!bad.text().contains("sk-upstream-keyed-000001"), "the key is never echoed");

    Reply created = api.post("/channels", operator, body.copy().put("keys", new JsonArray()
        .add(new JsonObject().put("key", "sk-upstream-keyed-000001").put("costQuota", "0.0002"))
        .add("sk-upstream-plain-000002")));
    assertEquals(201, created.status(), created.text());
    long id = created.json().getLong("id");
    JsonArray creds = created.json().getJsonArray("credentials");
    assertEquals("0.0002", creds.getJsonObject(0).getString("costQuota"));
    assertNull(creds.getJsonObject(1).getValue("costQuota"));
    long metered = creds.getJsonObject(0).getLong("id");
    assertEquals("0.0002", credentialLeft(operator, metered, "costQuotaLeft"));

    // plain strings keep what each kept credential had; an object sets its quotas anew
    Reply kept = api.call(HttpMethod.PATCH, "/channels/" + id, operator, new JsonObject().put("keys", new JsonArray()
        .add("sk-upstream-keyed-000001").add(new JsonObject().put("key", "sk-upstream-plain-000002").put("quota", 52))));
    assertEquals(200, kept.status(), kept.text());
    creds = kept.json().getJsonArray("credentials");
    assertEquals(metered, creds.getJsonObject(0).getLong("id"), "a kept secret keeps its credential");
    assertEquals("0.0002", creds.getJsonObject(0).getString("costQuota"));
    assertEquals(52, creds.getJsonObject(1).getLong("quota"));
    assertEquals(52L, poolCredential(operator, creds.getJsonObject(1).getLong("id")).getLong("quotaLeft"));
  }

  private Reply answer() {
    Reply reply = api.gateway.call(KEY, new JsonObject().put("model", "m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi " + ++conversations))));
    assertEquals(200, reply.status(), reply.text());
    return reply;
  }

  private long credentialOfAnswer() {
    return credentialOf(answer());
  }

  /** From {@code channel=pair; credential=12; ...}. */
  private static long credentialOf(Reply reply) {
    String route = reply.header("x-switchboard-route");
    int at = route.indexOf("credential=") + "credential=".length();
    int end = route.indexOf(';', at);
    return Long.parseLong(route.substring(at, end < 0 ? route.length() : end).trim());
  }

  private String channelOfAnswer() {
    String route = answer().header("x-switchboard-route");
    return route.substring("channel=".length(), route.indexOf(';'));
  }

  private JsonObject poolCredential(String token, long id) {
    for (Object c : api.get("/pool", token).json().getJsonArray("items")) {
      for (Object cred : ((JsonObject) c).getJsonArray("credentials")) {
        if (Objects.equals(((JsonObject) cred).getLong("id"), id)) return (JsonObject) cred;
      }
    }
    throw new AssertionError("credential " + id + " is not in the pool");
  }

  private String credentialLeft(String token, long id, String field) {
    return poolCredential(token, id).getString(field);
  }

  private Long channelLeft(String token) {
    for (Object c : api.get("/pool", token).json().getJsonArray("items")) {
      if ("metered".equals(((JsonObject) c).getString("name"))) return ((JsonObject) c).getLong("quotaLeft");
    }
    throw new AssertionError("no channel metered in the pool");
  }

  /** What is left is republished at most every half second: poll, for at most ten seconds. */
  private void awaitLeft(String token, long id, String wanted) {
    long deadline = System.currentTimeMillis() + 10_000;
    String left = credentialLeft(token, id, "costQuotaLeft");
    while (!wanted.equals(left) && System.currentTimeMillis() < deadline) {
      TestGateway.delay(api.gateway.vertx(), 50).await();
      left = credentialLeft(token, id, "costQuotaLeft");
    }
    assertEquals(wanted, left);
  }

  private void awaitChannelLeft(String token, long wanted) {
    long deadline = System.currentTimeMillis() + 10_000;
    Long left = channelLeft(token);
    while (!Objects.equals(wanted, left) && System.currentTimeMillis() < deadline) {
      TestGateway.delay(api.gateway.vertx(), 50).await();
      left = channelLeft(token);
    }
    assertEquals(wanted, left);
  }
}
