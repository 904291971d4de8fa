package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.KeyHash;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The effective configuration is shown to admins only, with no secret of it in the answer. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ConfigApiTest {

  private static final String UPSTREAM = "config-upstream-secret-0000000001";
  private static final String SECOND_UPSTREAM = "config-upstream-secret-0000000002";
  private static final String CLIENT = "sk-config-client-000000000003";
  private static final String DB_PASSWORD = "db-Pa55word-0004";
  private static final String REDIS_PASSWORD = "redis-Pa55word-0005";

  @Test
  void adminsSeeTheLoadedConfigurationWithEverySecretMasked(Vertx vertx) {
    try (AdminFixture api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(TestGateway.channel("declared", "http://127.0.0.1:9/v1", "d1").put("keys", new JsonArray().add(UPSTREAM).add(SECOND_UPSTREAM)))
        .clientKey("declared", CLIENT)
        .pricing("models", new JsonObject().put("d1", new JsonObject().put("input", "0.15").put("output", 0.6))))) {
      Reply reply = api.get("/config", api.token("admin"));
      assertEquals(200, reply.status(), reply.text());
      JsonObject config = reply.json();
      JsonObject channel = config.getJsonArray("channels").getJsonObject(0);
      assertEquals("declared", channel.getString("name"));
      assertEquals(List.of("****", "****"), channel.getJsonArray("keys").getList());
      assertEquals(List.of("http://127.0.0.1:9/v1"), channel.getJsonArray("baseUrls").getList());
      assertEquals("****", config.getJsonArray("apiKeys").getJsonObject(0).getString("key"));
      assertEquals(api.gateway.config().security().masterKeyFile(), config.getJsonObject("security").getString("masterKeyFile"),
          "the master key's path is shown, not the key");
      assertEquals("sqlite", config.getJsonObject("database").getString("type"));
      assertEquals("0.15", config.getJsonObject("pricing").getJsonObject("models").getJsonObject("d1").getString("input"));
      assertEquals(2, config.getJsonObject("routing").getInteger("retries"));
      assertTrue(config.containsKey("management"));

      for (String secret : List.of(UPSTREAM, SECOND_UPSTREAM, CLIENT, KeyHash.sha256Hex(CLIENT), "secret-000000000")) {
        assertFalse(reply.text().contains(secret), secret + " in " + reply.text());
      }
      assertEquals(403, api.get("/config", api.token("oper")).status());
      assertEquals(403, api.get("/config", api.token("view")).status());
      assertEquals(401, api.get("/config", null).status());
    }
  }

  @Test
  void databaseAndRedisPasswordsAndKeyHashesAreMasked() {
    JsonObject yaml = new JsonObject()
        .put("database", new JsonObject().put("type", "postgres").put("url", "postgresql://switchboard:" + DB_PASSWORD + "@db.internal:5432/sb"))
        .put("redis", new JsonObject().put("url", "redis://:" + REDIS_PASSWORD + "@cache.internal:6379/0"))
        .put("channels", new JsonArray().add(TestGateway.channel("c", "https://api.example.com/v1", "m").put("keys", new JsonArray().add(UPSTREAM))))
        .put("apiKeys", new JsonArray().add(new JsonObject().put("name", "hashed").put("keySha256", KeyHash.sha256Hex(CLIENT))));
    SwitchboardConfig config = ConfigLoader.parse(yaml, Map.of());
    JsonObject shown = ConfigRoutes.render(config);
    assertEquals("postgresql://switchboard:****@db.internal:5432/sb", shown.getJsonObject("database").getString("url"));
    assertEquals("redis://:****@cache.internal:6379/0", shown.getJsonObject("redis").getString("url"));
    assertEquals("****", shown.getJsonArray("apiKeys").getJsonObject(0).getString("keySha256"));
    assertEquals(List.of("****"), shown.getJsonArray("channels").getJsonObject(0).getJsonArray("keys").getList());
    String text = shown.encode();
    for (String secret : List.of(DB_PASSWORD, REDIS_PASSWORD, UPSTREAM, KeyHash.sha256Hex(CLIENT))) {
      assertFalse(text.contains(secret), secret + " in " + text);
    }
  }

  @Test
  void urlMaskingCoversUserInfoAndSecretQueryParameters() {
    assertEquals("mysql://root:****@127.0.0.1:3306/sb", ConfigRoutes.maskUrl("mysql://root:hunter2@127.0.0.1:3306/sb"));
    assertEquals("rediss://****@cache:6380", ConfigRoutes.maskUrl("rediss://onlytoken@cache:6380"));
    assertEquals("postgresql://db/sb?user=sb&password=****&sslmode=require",
        ConfigRoutes.maskUrl("postgresql://db/sb?user=sb&password=hunter2&sslmode=require"));
    assertEquals("https://models.dev/api.json?api_key=****", ConfigRoutes.maskUrl("https://models.dev/api.json?api_key=abc"));
    assertEquals("http://127.0.0.1:9/v1", ConfigRoutes.maskUrl("http://127.0.0.1:9/v1"));
    assertEquals("gpt-4o", ConfigRoutes.maskUrl("gpt-4o"));
  }
}
