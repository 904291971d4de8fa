package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class UsersSettingsAuditApiTest {

  /** Where this suite's gateway keeps its data; the PostgreSQL and MariaDB subclasses override it. */
  AdminDb db() {
    return AdminDb.SQLITE;
  }

  private AdminFixture api;
  private String admin;

  @BeforeEach
  void start(Vertx vertx) {
    api = AdminFixture.start(vertx, db());
    admin = api.token("admin");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
  }

  @Test
  void usersAreCreatedListedChangedAndDeleted() {
    Reply created = api.post("/users", admin, new JsonObject().put("username", "carol").put("password", "carols long password")
        .put("role", "operator"));
    assertEquals(201, created.status(), created.text());
    JsonObject carol = created.json();
    assertEquals("operator", carol.getString("role"));
    assertFalse(created.text().contains("password"), "no hash, not even the field: " + created.text());
    assertEquals(200, api.login("carol", "carols long password").status());

    JsonObject page = api.get("/users?sort=username", admin).json();
    assertEquals(4, page.getLong("total"));
    assertEquals(List.of("admin", "carol", "oper", "view"),
        page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("username")).toList());

    long id = carol.getLong("id");
    assertEquals("viewer", api.call(HttpMethod.PATCH, "/users/" + id, admin, new JsonObject().put("role", "viewer")).json().getString("role"));
    assertEquals(204, api.call(HttpMethod.DELETE, "/users/" + id, admin, null).status());
    assertEquals(404, api.get("/users/" + id, admin).status());
    assertEquals(401, api.login("carol", "carols long password").status());
  }

  @Test
  void userInputIsValidatedFieldByField() {
    Reply bad = api.post("/users", admin, new JsonObject().put("username", "has space").put("password", "short").put("role", "root")
        .put("extra", 1));
    assertEquals(400, bad.status());
    JsonObject fields = bad.json().getJsonObject("error").getJsonObject("fields");
    assertEquals("validation_failed", bad.json().getJsonObject("error").getString("code"));
    assertEquals(List.of("extra", "password", "role", "username"), fields.fieldNames().stream().sorted().toList());
    Reply dup = api.post("/users", admin, new JsonObject().put("username", "oper").put("password", "a long enough one").put("role", "viewer"));
    assertEquals(409, dup.status());
    assertTrue(dup.json().getJsonObject("error").getJsonObject("fields").containsKey("username"));
  }

  @Test
  void theLastEnabledAdminStaysAnAdmin() {
    long id = api.get("/auth/me", admin).json().getLong("id");
    for (JsonObject change : List.of(new JsonObject().put("role", "viewer"), new JsonObject().put("enabled", false))) {
      Reply r = api.call(HttpMethod.PATCH, "/users/" + id, admin, change);
      assertEquals(409, r.status(), r.text());
      assertEquals("last_admin", r.json().getJsonObject("error").getString("code"));
    }
    assertEquals(409, api.call(HttpMethod.DELETE, "/users/" + id, admin, null).status());
    assertEquals(201, api.post("/users", admin, new JsonObject().put("username", "second").put("password", "second admin password")
        .put("role", "admin")).status());
    assertEquals(200, api.call(HttpMethod.PATCH, "/users/" + id, admin, new JsonObject().put("role", "operator")).status());
  }

  @Test
  void settingsAreStoredVerbatimAndInternalOnesStayHidden() {
    String value = "{\"json\": true, \"quote\": \"'; DROP TABLE settings; --\"}";
    Reply put = api.call(HttpMethod.PUT, "/settings/ui.banner", admin, new JsonObject().put("value", value));
    assertEquals(200, put.status(), put.text());
    assertEquals(value, api.get("/settings/ui.banner", api.token("view")).json().getString("value"));
    JsonObject list = api.get("/settings", admin).json();
    assertEquals(1, list.getLong("total"), list.encode());
    assertFalse(list.encode().contains("internal."), "the JWT secret's setting is not listed");
    assertEquals(404, api.get("/settings/" + AdminBootstrap.HS256_SETTING, admin).status());
    assertEquals(404, api.call(HttpMethod.PUT, "/settings/" + AdminBootstrap.HS256_SETTING, admin,
        new JsonObject().put("value", "mine")).status(), "the signing secret cannot be replaced over the API");
    assertEquals(204, api.call(HttpMethod.DELETE, "/settings/ui.banner", admin, null).status());
    assertEquals(404, api.get("/settings/ui.banner", admin).status());
  }

  @Test
  void everyChangeIsAuditedWithWhoWhatAndWhere() {
    String operator = api.token("oper");
    api.login("oper", "wrong password");
    long keyId = api.post("/keys", operator, new JsonObject().put("name", "audited")).json().getLong("id");
    api.post("/keys/" + keyId + "/revoke", operator, null);
    api.call(HttpMethod.PUT, "/settings/x", admin, new JsonObject().put("value", "1"));

    JsonObject log = api.get("/audit?limit=100", admin).json();
    List<String> actions = log.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("action")).toList();
    assertTrue(actions.containsAll(List.of("auth.login", "auth.login_failed", "key.create", "key.revoke", "setting.put")), actions.toString());
    assertEquals("setting.put", actions.get(0), "newest first");
    JsonObject create = log.getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(e -> e.getString("action").equals("key.create")).findFirst().orElseThrow();
    assertEquals("oper", create.getString("actor"));
    assertEquals("key:" + keyId, create.getString("target"));
    assertEquals("127.0.0.1", create.getString("remote"));
    assertTrue(create.getString("at").startsWith("20"));

    JsonObject onlyOper = api.get("/audit?actor=oper&action=key.revoke", admin).json();
    assertEquals(1, onlyOper.getLong("total"));
    JsonObject paged = api.get("/audit?limit=2&offset=1", admin).json();
    assertEquals(2, paged.getJsonArray("items").size());
    assertEquals(log.getLong("total"), paged.getLong("total"));
    assertEquals(log.getJsonArray("items").getJsonObject(1).getLong("id"), paged.getJsonArray("items").getJsonObject(0).getLong("id"));
  }
}
