package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Hostile input is stored verbatim or refused with a 4xx naming the field; never a 500. */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class InputSafetyTest {

  /** Where this suite's gateway keeps its data; the PostgreSQL and MariaDB subclasses override it. */
  AdminDb db() {
    return AdminDb.SQLITE;
  }

  private static final List<String> HOSTILE = List.of(
      "x'; DROP TABLE channels; --", "\" OR \"1\"=\"1", "1; DELETE FROM api_keys", "' UNION SELECT secret_enc FROM credentials --",
      "%s%n%x", "${jndi:ldap://127.0.0.1/a}", "<script>alert(1)</script>", "名前 🚀 ünïcödé", "\\\\'\\\\\"", "`rm -rf /`");

  private AdminFixture api;
  private String admin;

  @BeforeAll
  void start(Vertx vertx) {
    api = AdminFixture.start(vertx, db());
    admin = api.token("admin");
  }

  @AfterAll
  void stop() {
    if (api != null) api.close();
  }

  private static JsonObject channel(String name, String model) {
    return new JsonObject().put("name", name).put("baseUrls", new JsonArray().add("http://127.0.0.1:9/v1"))
        .put("models", new JsonArray().add(model)).put("keys", new JsonArray().add(name + "-as-secret"));
  }

  @Test
  void sqlLikeAndOddTextIsStoredAndReadBackVerbatim() {
    for (int i = 0; i < HOSTILE.size(); i++) {
      String text = HOSTILE.get(i);
      Reply ch = api.post("/channels", admin, channel(text, text));
      assertEquals(201, ch.status(), text + " -> " + ch.text());
      assertEquals(text, api.get("/channels/" + ch.json().getLong("id"), admin).json().getString("name"));
      assertEquals(List.of(text), ch.json().getJsonArray("models").getList());
      Reply key = api.post("/keys", admin, new JsonObject().put("name", text).put("models", new JsonArray().add(text)));
      assertEquals(201, key.status(), key.text());
      assertEquals(text, api.get("/keys/" + key.json().getLong("id"), admin).json().getString("name"));
      assertEquals(200, api.call(HttpMethod.PUT, "/settings/s" + i, admin, new JsonObject().put("value", text)).status());
      assertEquals(text, api.get("/settings/s" + i, admin).json().getString("value"));
    }
    assertEquals(HOSTILE.size(), api.get("/channels", admin).json().getLong("total"), "every table is still there");
    assertEquals(1, api.get("/channels?q=" + java.net.URLEncoder.encode("DROP TABLE", java.nio.charset.StandardCharsets.UTF_8), admin)
        .json().getLong("total"), "filtering treats the text as text");
  }

  @Test
  void hostileModelNamesInPricesUsageAndExplainAreTextNeverA500() {
    for (String text : HOSTILE) {
      String q = java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
      Reply price = api.post("/prices", admin, new JsonObject().put("model", text).put("input", 1).put("output", 2));
      assertEquals(201, price.status(), text + " -> " + price.text());
      JsonObject listed = api.get("/prices?model=" + q, admin).json();
      assertEquals(1, listed.getLong("total"), text);
      assertEquals(text, listed.getJsonArray("items").getJsonObject(0).getString("model"));
      Reply usage = api.get("/usage/series?model=" + q, admin);
      assertEquals(200, usage.status(), usage.text());
      assertEquals(text, usage.json().getString("model"));
      assertEquals(200, api.get("/usage/breakdown?by=model&model=" + q, admin).status());
      Reply explain = api.get("/routing/explain?model=" + q, admin);
      assertEquals(200, explain.status(), explain.text());
      assertEquals(text, explain.json().getString("model"));
    }
    String long300 = "m".repeat(300);
    assertField(api.post("/prices", admin, new JsonObject().put("model", long300).put("input", 1).put("output", 2)), "model");
    assertField(api.post("/prices", admin, new JsonObject().put("model", "m".repeat(192)).put("input", 1).put("output", 2)), "model");
    assertEquals(201, api.post("/prices", admin, new JsonObject().put("model", "m".repeat(191)).put("input", 1).put("output", 2)).status(),
        "191 characters fit the column on every database");
    assertField(api.get("/routing/explain?model=" + long300, admin), "model");
    assertField(api.get("/usage/series?model=" + long300, admin), "model");
    assertField(api.get("/usage/series?model=a%00b", admin), "model");
    assertField(api.post("/prices", admin, new JsonObject().put("model", "m").put("input", "9".repeat(100)).put("output", 2)), "input");
  }

  @Test
  void oversizedAndMalformedFieldsAre400WithTheFieldNamed() {
    String huge = "x".repeat(10_000);
    assertField(api.post("/channels", admin, channel(huge, "m")), "name");
    assertField(api.post("/keys", admin, new JsonObject().put("name", huge)), "name");
    assertField(api.post("/keys", admin, new JsonObject().put("name", "ok").put("models",
        new JsonArray(new ArrayList<>(Collections.nCopies(1001, "m"))))), "models");
    assertField(api.post("/channels", admin, channel("ok", "m").put("keys", new JsonArray().add(huge))), "keys[0]");
    assertField(api.post("/channels", admin, channel("ok", "m").put("priority", "5")), "priority");
    assertField(api.post("/channels", admin, channel("ok", "m").put("weight", 1.5)), "weight");
    assertField(api.post("/channels", admin, channel("ok", "m").put("weight", 0)), "weight");
    assertField(api.post("/channels", admin, channel("ok", "m").put("enabled", "yes")), "enabled");
    assertField(api.post("/channels", admin, channel("ok", "m").put("baseUrls", new JsonArray().add("file:///etc/passwd"))), "baseUrls[0]");
    assertField(api.post("/channels", admin, channel("ok", "m").put("type", "cohere")), "type");
    assertField(api.post("/channels", admin, channel("line\nbreak", "m")), "name");
    assertField(api.post("/channels", admin, channel("ok", "m").put("models", new JsonArray())), "models");
    assertField(api.post("/keys", admin, new JsonObject().put("name", "ok").put("expiresAt", "tomorrow")), "expiresAt");
    assertField(api.post("/keys", admin, new JsonObject().put("name", "ok").put("secret", "x")), "secret");
    assertField(api.call(HttpMethod.PUT, "/settings/" + "n".repeat(200), admin, new JsonObject().put("value", "v")), "name");
    assertField(api.call(HttpMethod.PUT, "/settings/big", admin, new JsonObject().put("value", "v".repeat(70_000))), "value");
  }

  private static void assertField(Reply reply, String field) {
    assertEquals(400, reply.status(), reply.text());
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("validation_failed", error.getString("code"));
    assertTrue(error.getJsonObject("fields").containsKey(field), field + " in " + error.encode());
  }

  @Test
  void bodiesThatAreNotJsonObjectsOrTooLargeAreRefused() {
    for (String body : List.of("{", "[1,2]", "\"text\"", "null", "", "{\"name\": }", "\u0000")) {
      Reply r = api.raw(HttpMethod.POST, "/keys", admin, Buffer.buffer(body), null);
      assertEquals(400, r.status(), body + " -> " + r.text());
      assertEquals("invalid_json", r.json().getJsonObject("error").getString("code"));
    }
    Reply big = api.raw(HttpMethod.POST, "/keys", admin, Buffer.buffer("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}"), null);
    assertEquals(413, big.status());
    assertEquals("payload_too_large", big.json().getJsonObject("error").getString("code"));
  }

  @Test
  void oddPathsAndQueriesNeverFail() {
    List<String> paths = List.of("/users/1%20OR%201=1", "/users/-1", "/users/99999999999999999999", "/keys/0", "/channels/abc",
        "/settings/%27%3B%20DROP", "/keys?limit=-1", "/keys?offset=1e9", "/keys?sort=name%3B%20DROP",
        "/nothing/here", "/keys/1/explode");
    for (String path : paths) {
      Reply r = api.get(path, admin);
      assertTrue(r.status() >= 400 && r.status() < 500, path + " -> " + r.status() + " " + r.text());
      assertTrue(r.json().getJsonObject("error").getString("code") != null);
    }
    assertTrue(api.get("/audit", admin).json().getLong("total") > 0);
    Reply wrongMethod = api.call(HttpMethod.PUT, "/keys", admin, new JsonObject());
    assertEquals(405, wrongMethod.status());
    assertEquals("method_not_allowed", wrongMethod.json().getJsonObject("error").getString("code"));
    assertEquals(404, api.call(HttpMethod.PUT, "/keyss", admin, new JsonObject()).status());
    Reply injected = api.get("/audit?actor=%27%20OR%20%271%27=%271", admin);
    assertEquals(200, injected.status());
    assertEquals(0, injected.json().getLong("total"), "the filter is a value, not SQL");
  }

  @Test
  void aFailedLoginWithAnyLongUsernameIsAuditedWithinTheColumnSize() {
    String name = "u".repeat(250);
    assertEquals(401, api.login(name, "whatever").status());
    JsonObject entry = api.get("/audit?action=auth.login_failed&limit=500", admin).json().getJsonArray("items").stream()
        .map(o -> (JsonObject) o).filter(e -> e.getString("actor").startsWith("uuuu")).findFirst().orElseThrow();
    assertEquals(191, entry.getString("actor").length(), "cut to fit actor VARCHAR(191) on MySQL and PostgreSQL");
  }

  @Test
  void fuzzedWriteBodiesNeverCauseAServerError() {
    List<Object> values = List.of("", " ", HOSTILE.get(0), -1, 0, Long.MAX_VALUE, 1e308, true, new JsonArray(), new JsonObject(),
        new JsonArray().add((Object) null), new JsonObject().put("a", new JsonObject().put("b", "c")));
    List<String> fields = List.of("name", "type", "baseUrls", "models", "modelMap", "priority", "weight", "enabled", "keys",
        "expiresAt", "username", "password", "role", "value", "refresh_token", "currentPassword", "newPassword");
    List<String> targets = List.of("/channels", "/keys", "/users", "/auth/login", "/auth/refresh", "/auth/password");
    List<String> failures = new ArrayList<>();
    for (String target : targets) {
      for (String field : fields) {
        for (Object value : values) {
          Reply r = api.post(target, admin, new JsonObject().put(field, value));
          if (r.status() >= 500) failures.add(target + " " + field + "=" + value + " -> " + r.status());
        }
      }
    }
    assertEquals(List.of(), failures);
  }
}
