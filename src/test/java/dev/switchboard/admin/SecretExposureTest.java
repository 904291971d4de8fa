package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.switchboard.store.KeyHash;
import dev.switchboard.store.SecretBox;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A tour of every management endpoint by every role, then a scan of every answer for every
 * secret the gateway holds: upstream keys (plain and sealed), client keys and their hashes,
 * password hashes, the JWT signing secret, the master key. A new client key may appear only in
 * the one answer that created or rotated it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class SecretExposureTest {

  /** Where this suite's gateway keeps its data; the PostgreSQL and MariaDB subclasses override it. */
  AdminDb db() {
    return AdminDb.SQLITE;
  }

  private static final String DECLARED_UPSTREAM = "declared-upstream-secret-0001";
  private static final String RUNTIME_UPSTREAM = "runtime-upstream-secret-0002";
  private static final String DECLARED_CLIENT = "sk-declared-client-0003";

  @Test
  void noAnswerCarriesASecret(Vertx vertx) throws Exception {
    try (AdminFixture api = AdminFixture.start(vertx, db(), TestGateway.builder(vertx)
        .channel(TestGateway.channel("declared", "http://127.0.0.1:9/v1", "d1").put("keys", new JsonArray().add(DECLARED_UPSTREAM)))
        .clientKey("declared", DECLARED_CLIENT))) {
      String admin = api.token("admin");
      Map<String, String> tokens = Map.of("admin", admin, "operator", api.token("oper"), "viewer", api.token("view"));
      JsonObject ch = api.post("/channels", admin, new JsonObject().put("name", "rt").put("baseUrls", new JsonArray().add("http://127.0.0.1:9/v1"))
          .put("models", new JsonArray().add("m")).put("keys", new JsonArray().add(RUNTIME_UPSTREAM))).json();
      Reply created = api.post("/keys", admin, new JsonObject().put("name", "k"));
      String clientKey = created.json().getString("key");
      long keyId = created.json().getLong("id");
      Reply rotated = api.post("/keys/" + keyId + "/rotate", admin, null);
      String rotatedKey = rotated.json().getString("key");
      api.call(HttpMethod.PUT, "/settings/plain", admin, new JsonObject().put("value", "visible"));
      // one proxied request (its upstream is a closed port) so the request log has an entry and a trail to show
      String requestId = api.gateway.call(DECLARED_CLIENT, new JsonObject().put("model", "d1").put("messages",
          new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))).header("x-request-id");
      api.gateway.awaitUsageCount(1);
      for (String token : tokens.values()) {
        for (String path : List.of("/auth/me", "/users", "/users/1", "/keys", "/keys/" + keyId, "/channels", "/channels/" + ch.getLong("id"),
            "/settings", "/settings/plain", "/audit?limit=500", "/openapi.json", "/config", "/pool", "/routing/explain?model=d1",
            "/routing/explain?model=m&key=" + keyId, "/prices", "/usage/series", "/usage/breakdown?by=key",
            "/requests", "/requests/" + requestId)) {
          api.get(path, token);
        }
        api.call(HttpMethod.PATCH, "/channels/" + ch.getLong("id"), token, new JsonObject().put("weight", 2));
        api.call(HttpMethod.PATCH, "/keys/" + keyId, token, new JsonObject().put("enabled", true));
        api.post("/channels/" + ch.getLong("id") + "/test", token, null);
      }

      List<String> secrets = new ArrayList<>(List.of(DECLARED_UPSTREAM, RUNTIME_UPSTREAM, DECLARED_CLIENT, KeyHash.sha256Hex(DECLARED_CLIENT),
          KeyHash.sha256Hex(clientKey), KeyHash.sha256Hex(rotatedKey), AdminFixture.PASSWORD));
      SecretBox box = SecretBox.load(Path.of(api.gateway.config().security().masterKeyFile()));
      String sealedJwt = api.gateway.store().setting(AdminBootstrap.HS256_SETTING).await();
      secrets.add(sealedJwt);
      secrets.add(box.decrypt(sealedJwt));
      secrets.add(Files.readString(Path.of(api.gateway.config().security().masterKeyFile())).trim());
      api.gateway.store().admin().users().await().forEach(u -> secrets.add(u.passwordHash()));
      secrets.addAll(api.column("SELECT secret_enc FROM credentials"));
      // 7 named + sealed and plain JWT secret + master key + 3 password hashes + 2 sealed upstream keys
      assertEquals(15, secrets.size(), "every secret was collected");

      List<String> leaks = new ArrayList<>();
      for (String body : api.bodies) {
        for (String secret : secrets) {
          if (body.contains(secret)) leaks.add(secret.substring(0, 6) + "… in " + body.substring(0, Math.min(120, body.length())));
        }
      }
      assertEquals(List.of(), leaks);
      assertEquals(1, api.bodies.stream().filter(b -> b.contains(clientKey)).count(), "the new key is shown once");
      assertEquals(1, api.bodies.stream().filter(b -> b.contains(rotatedKey)).count(), "the rotated key is shown once");
      assertFalse(api.bodies.isEmpty());
    }
  }
}
