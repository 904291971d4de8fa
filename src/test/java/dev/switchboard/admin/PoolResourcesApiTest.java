package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
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

/** Client keys and channels managed over the API take effect on the gateway at once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PoolResourcesApiTest {

  /** Where this suite's gateway keeps its data; the PostgreSQL and MariaDB subclasses override it. */
  AdminDb db() {
    return AdminDb.SQLITE;
  }

  private static final String UPSTREAM_SECRET = "upstream-secret-abcdef123456";
  private static final String DECLARED_KEY = "sk-declared-0123456789";

  private MockUpstream mock;
  private AdminFixture api;
  private String operator;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    api = AdminFixture.start(vertx, db(), TestGateway.builder(vertx)
        .channel(TestGateway.channel("declared", mock.baseUrl(), "d1"))
        .clientKey("declared-key", DECLARED_KEY)
        .pricing("models", new JsonObject().put("d1", new JsonObject().put("input", 2.5).put("output", 10))));
    operator = api.token("oper");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  private List<String> models(String clientKey) {
    Reply reply = api.gateway.get("/v1/models", clientKey);
    if (reply.status() != 200) return null;
    return reply.json().getJsonArray("data").stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  private JsonObject channel(String name, String... models) {
    return new JsonObject().put("name", name).put("baseUrls", new JsonArray().add(mock.baseUrl()))
        .put("models", new JsonArray(List.of((Object[]) models))).put("keys", new JsonArray().add(UPSTREAM_SECRET));
  }

  @Test
  void aCreatedKeyAndChannelServeRequestsAtOnce() {
    Reply key = api.post("/keys", operator, new JsonObject().put("name", "ci").put("models", new JsonArray().add("m1")));
    assertEquals(201, key.status(), key.text());
    String secret = key.json().getString("key");
    assertTrue(secret.startsWith("sk-sb-") && secret.length() >= 30, secret);
    assertEquals(List.of(), models(secret), "the key works before any channel serves its model");

    Reply created = api.post("/channels", operator, channel("runtime", "m1", "m2"));
    assertEquals(201, created.status(), created.text());
    assertEquals("api", created.json().getString("source"));
    assertEquals(List.of("m1"), models(secret), "the new channel is routed, within the key's allowed models");

    Reply chat = api.gateway.call(secret, new JsonObject().put("model", "m1")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertEquals(200, chat.status(), chat.text());
    assertEquals("Bearer " + UPSTREAM_SECRET, mock.requests().get(mock.requests().size() - 1).header("authorization"),
        "the stored (encrypted) upstream key is the one sent upstream");

    long id = created.json().getLong("id");
    assertEquals(204, api.call(HttpMethod.DELETE, "/channels/" + id, operator, null).status());
    assertEquals(List.of(), models(secret));
  }

  @Test
  void aKeysReturnCostIsSetOverTheApiAndTakesEffectAtOnce() {
    Reply key = api.post("/keys", operator, new JsonObject().put("name", "told").put("returnCost", true));
    assertEquals(201, key.status(), key.text());
    assertEquals(true, key.json().getBoolean("returnCost"));
    String secret = key.json().getString("key");
    JsonObject hi = new JsonObject().put("model", "d1")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    Reply told = api.gateway.call(secret, hi);
    assertEquals(200, told.status(), told.text());
    assertNotNull(told.header("x-switchboard-cost"));
    assertNotNull(told.json().getJsonObject("usage").getValue("cost"), told.text());

    long id = key.json().getLong("id");
    Reply off = api.call(HttpMethod.PATCH, "/keys/" + id, operator, new JsonObject().put("returnCost", false));
    assertEquals(200, off.status(), off.text());
    assertEquals(false, off.json().getBoolean("returnCost"));
    Reply quiet = api.gateway.call(secret, hi);
    assertNull(quiet.header("x-switchboard-cost"));
    assertNull(quiet.json().getJsonObject("usage").getValue("cost"), quiet.text());
    assertEquals(400, api.call(HttpMethod.PATCH, "/keys/" + id, operator, new JsonObject().put("returnCost", "yes")).status());
    assertEquals(false, api.get("/keys/" + id, operator).json().getBoolean("returnCost"), "off by default and as set");
  }

  @Test
  void revokedRotatedAndExpiredKeysStopWorkingAtOnce() {
    JsonObject created = api.post("/keys", operator, new JsonObject().put("name", "rot")).json();
    String first = created.getString("key");
    long id = created.getLong("id");
    assertTrue(models(first).contains("d1"));

    Reply rotated = api.post("/keys/" + id + "/rotate", operator, null);
    assertEquals(200, rotated.status(), rotated.text());
    String second = rotated.json().getString("key");
    assertNotEquals(first, second);
    assertNull(models(first), "the old key is refused");
    assertTrue(models(second).contains("d1"));

    Reply expired = api.call(HttpMethod.PATCH, "/keys/" + id, operator, new JsonObject().put("expiresAt", "2001-01-01T00:00:00Z"));
    assertEquals(200, expired.status(), expired.text());
    assertTrue(expired.json().getBoolean("expired"));
    assertNull(models(second), "an expired key is refused");
    assertEquals(200, api.call(HttpMethod.PATCH, "/keys/" + id, operator, new JsonObject().putNull("expiresAt")).status());
    assertTrue(models(second).contains("d1"), "clearing the expiry restores it");

    Reply revoked = api.post("/keys/" + id + "/revoke", operator, null);
    assertEquals(200, revoked.status());
    assertFalse(revoked.json().getBoolean("enabled"));
    assertNull(models(second), "a revoked key is refused");
  }

  @Test
  void listingsNeverShowKeysOrHashesAndMaskUpstreamSecrets() {
    String key = api.post("/keys", operator, new JsonObject().put("name", "listed")).json().getString("key");
    api.post("/channels", operator, channel("masked", "m9"));
    String viewer = api.token("view");
    Reply keys = api.get("/keys?sort=-id", viewer);
    assertEquals(200, keys.status());
    assertFalse(keys.text().contains(key), keys.text());
    assertFalse(keys.text().contains(dev.switchboard.store.KeyHash.sha256Hex(key)));
    JsonObject first = keys.json().getJsonArray("items").getJsonObject(0);
    assertEquals("listed", first.getString("name"));
    assertTrue(key.startsWith(first.getString("prefix").replace("…", "")));

    Reply channels = api.get("/channels?source=api", viewer);
    assertEquals(200, channels.status());
    assertFalse(channels.text().contains(UPSTREAM_SECRET), channels.text());
    assertFalse(channels.text().contains("abcdef12"), "not even a long part of it");
    JsonObject masked = channels.json().getJsonArray("items").getJsonObject(0);
    assertEquals("…3456", masked.getJsonArray("credentials").getJsonObject(0).getString("key"));
  }

  @Test
  void declaredChannelsAndKeysAreListedButReadOnly() {
    Reply channels = api.get("/channels?source=config", operator);
    JsonObject declared = channels.json().getJsonArray("items").getJsonObject(0);
    assertEquals("declared", declared.getString("name"));
    long channelId = declared.getLong("id");
    Reply patch = api.call(HttpMethod.PATCH, "/channels/" + channelId, operator, new JsonObject().put("weight", 5));
    assertEquals(409, patch.status());
    assertEquals("read_only", patch.json().getJsonObject("error").getString("code"));
    assertEquals(409, api.call(HttpMethod.DELETE, "/channels/" + channelId, operator, null).status());

    long keyId = api.get("/keys?source=config", operator).json().getJsonArray("items").getJsonObject(0).getLong("id");
    assertEquals(409, api.post("/keys/" + keyId + "/revoke", operator, null).status());
    assertEquals(409, api.call(HttpMethod.DELETE, "/keys/" + keyId, operator, null).status());
    assertTrue(models(DECLARED_KEY).contains("d1"), "the declared key still works");
  }

  @Test
  void duplicateNamesAre409WithTheField() {
    assertEquals(201, api.post("/channels", operator, channel("twin", "m1")).status());
    Reply dup = api.post("/channels", operator, channel("twin", "m1"));
    assertEquals(409, dup.status());
    assertEquals("conflict", dup.json().getJsonObject("error").getString("code"));
    assertTrue(dup.json().getJsonObject("error").getJsonObject("fields").containsKey("name"));
    assertEquals(409, api.post("/channels", operator, channel("declared", "m1")).status(), "a declared name is taken too");
    assertEquals(201, api.post("/keys", operator, new JsonObject().put("name", "k")).status());
    assertEquals(409, api.post("/keys", operator, new JsonObject().put("name", "k")).status());
  }

  @Test
  void patchingAChannelReplacesOnlyWhatIsGiven() {
    long id = api.post("/channels", operator, channel("patchme", "m1")).json().getLong("id");
    Reply patched = api.call(HttpMethod.PATCH, "/channels/" + id, operator, new JsonObject().put("priority", 7)
        .put("modelMap", new JsonObject().put("fast", "m1-upstream")));
    assertEquals(200, patched.status(), patched.text());
    JsonObject c = patched.json();
    assertEquals(7, c.getInteger("priority"));
    assertEquals(List.of("m1", "fast"), c.getJsonArray("models").getList());
    assertEquals(1, c.getJsonArray("credentials").size(), "credentials kept when keys are not given");
    Reply rekeyed = api.call(HttpMethod.PATCH, "/channels/" + id, operator,
        new JsonObject().put("keys", new JsonArray().add("second-secret-9876543210").add("third-secret-0000000000")));
    assertEquals(2, rekeyed.json().getJsonArray("credentials").size());
    assertEquals(404, api.call(HttpMethod.PATCH, "/channels/999999", operator, new JsonObject().put("priority", 1)).status());
  }

  @Test
  void pagingFilteringAndSortingOfChannels() {
    for (String name : List.of("c-b", "c-a", "c-c")) {
      assertEquals(201, api.post("/channels", operator, channel(name, "m1")).status());
    }
    JsonObject page = api.get("/channels?q=c-&sort=-name&limit=2&offset=0", operator).json();
    assertEquals(3, page.getLong("total"));
    assertEquals(2, page.getJsonArray("items").size());
    assertEquals("c-c", page.getJsonArray("items").getJsonObject(0).getString("name"));
    JsonObject rest = api.get("/channels?q=c-&sort=-name&limit=2&offset=2", operator).json();
    assertEquals("c-a", rest.getJsonArray("items").getJsonObject(0).getString("name"));
    Reply badSort = api.get("/channels?sort=secret", operator);
    assertEquals(400, badSort.status());
    assertTrue(badSort.json().getJsonObject("error").getJsonObject("fields").containsKey("sort"));
    assertEquals(400, api.get("/channels?limit=0", operator).status());
    assertEquals(400, api.get("/channels?limit=abc", operator).status());
  }
}
