package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every protected operation, called by each role: below its role it is 403 (and without a token
 * 401) before any validation or lookup; at or above it the role check lets it through. The table
 * here is the specification, written apart from the route table it checks.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class RoleEnforcementTest {

  /** Where this suite's gateway keeps its data; the PostgreSQL and MariaDB subclasses override it. */
  AdminDb db() {
    return AdminDb.SQLITE;
  }

  private record Op(HttpMethod method, String path, String role) {}

  /** Ids that exist nowhere: an allowed call ends in 404 or 400, never in a change. */
  private static final List<Op> OPS = List.of(
      new Op(HttpMethod.GET, "/auth/me", "viewer"),
      new Op(HttpMethod.POST, "/auth/password", "viewer"),
      new Op(HttpMethod.GET, "/users", "admin"),
      new Op(HttpMethod.POST, "/users", "admin"),
      new Op(HttpMethod.GET, "/users/999999", "admin"),
      new Op(HttpMethod.PATCH, "/users/999999", "admin"),
      new Op(HttpMethod.DELETE, "/users/999999", "admin"),
      new Op(HttpMethod.GET, "/keys", "viewer"),
      new Op(HttpMethod.POST, "/keys", "operator"),
      new Op(HttpMethod.GET, "/keys/999999", "viewer"),
      new Op(HttpMethod.PATCH, "/keys/999999", "operator"),
      new Op(HttpMethod.DELETE, "/keys/999999", "operator"),
      new Op(HttpMethod.POST, "/keys/999999/revoke", "operator"),
      new Op(HttpMethod.POST, "/keys/999999/rotate", "operator"),
      new Op(HttpMethod.GET, "/channels", "viewer"),
      new Op(HttpMethod.POST, "/channels", "operator"),
      new Op(HttpMethod.GET, "/channels/999999", "viewer"),
      new Op(HttpMethod.PATCH, "/channels/999999", "operator"),
      new Op(HttpMethod.DELETE, "/channels/999999", "operator"),
      new Op(HttpMethod.POST, "/channels/999999/test", "operator"),
      new Op(HttpMethod.GET, "/settings", "viewer"),
      new Op(HttpMethod.GET, "/settings/nothing.here", "viewer"),
      new Op(HttpMethod.PUT, "/settings/nothing.here", "admin"),
      new Op(HttpMethod.DELETE, "/settings/nothing.here", "admin"),
      new Op(HttpMethod.GET, "/audit", "admin"),
      new Op(HttpMethod.GET, "/routing/explain", "admin"),
      new Op(HttpMethod.GET, "/pool", "viewer"),
      new Op(HttpMethod.GET, "/prices", "viewer"),
      new Op(HttpMethod.POST, "/prices", "operator"),
      new Op(HttpMethod.GET, "/usage/series", "viewer"),
      new Op(HttpMethod.GET, "/usage/breakdown", "viewer"),
      new Op(HttpMethod.GET, "/requests", "viewer"),
      new Op(HttpMethod.GET, "/requests/req_00000000000000000000", "viewer"),
      new Op(HttpMethod.GET, "/config", "admin"),

      new Op(HttpMethod.POST, "/config/reload", "admin"),
      new Op(HttpMethod.POST, "/channels/999999/models/sync", "operator"),
      new Op(HttpMethod.POST, "/channels/999999/quota/reset", "operator"),
      new Op(HttpMethod.PATCH, "/credentials/999999", "operator"),
      new Op(HttpMethod.POST, "/credentials/999999/quota/reset", "operator"),
      new Op(HttpMethod.GET, "/groups", "viewer"),
      new Op(HttpMethod.POST, "/groups", "operator"),
      new Op(HttpMethod.GET, "/groups/999999", "viewer"),
      new Op(HttpMethod.PATCH, "/groups/999999", "operator"),
      new Op(HttpMethod.DELETE, "/groups/999999", "operator"),
      new Op(HttpMethod.GET, "/aliases", "viewer"),
      new Op(HttpMethod.POST, "/aliases", "operator"),
      new Op(HttpMethod.GET, "/aliases/999999", "viewer"),
      new Op(HttpMethod.PATCH, "/aliases/999999", "operator"),
      new Op(HttpMethod.DELETE, "/aliases/999999", "operator"));

  private static final Map<String, Integer> RANK = Map.of("viewer", 0, "operator", 1, "admin", 2);

  private AdminFixture api;
  private Map<String, String> tokens;

  @BeforeAll
  void start(Vertx vertx) {
    api = AdminFixture.start(vertx, db());
    tokens = Map.of("viewer", api.token("view"), "operator", api.token("oper"), "admin", api.token("admin"));
  }

  @AfterAll
  void stop() {
    if (api != null) api.close();
  }

  /** An empty object: invalid for every write, so an allowed call cannot change anything. */
  private Reply call(Op op, String token) {
    JsonObject body = op.method() == HttpMethod.GET || op.method() == HttpMethod.DELETE ? null : new JsonObject();
    return api.call(op.method(), op.path(), token, body);
  }

  @Test
  void everyProtectedOperationWithoutATokenIs401() {
    List<String> wrong = new ArrayList<>();
    for (Op op : OPS) {
      Reply r = call(op, null);
      if (r.status() != 401 || !"unauthorized".equals(r.json().getJsonObject("error").getString("code"))) {
        wrong.add(op + " -> " + r.status());
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void eachRoleIsRefusedWith403BelowTheOperationsRole() {
    List<String> wrong = new ArrayList<>();
    int denials = 0;
    for (Op op : OPS) {
      for (String role : List.of("viewer", "operator", "admin")) {
        if (RANK.get(role) >= RANK.get(op.role())) continue;
        denials++;
        Reply r = call(op, tokens.get(role));
        if (r.status() != 403 || !"forbidden".equals(r.json().getJsonObject("error").getString("code"))) {
          wrong.add(role + " " + op + " -> " + r.status() + " " + r.text());
        }
      }
    }
    assertEquals(List.of(), wrong);
    assertTrue(denials >= 20, "the table covers the denials: " + denials);
  }

  @Test
  void eachRoleGetsPastTheRoleCheckAtOrAboveTheOperationsRole() {
    List<String> wrong = new ArrayList<>();
    for (Op op : OPS) {
      for (String role : List.of("viewer", "operator", "admin")) {
        if (RANK.get(role) < RANK.get(op.role())) continue;
        Reply r = call(op, tokens.get(role));
        if (r.status() == 401 || r.status() == 403 || r.status() >= 500) {
          wrong.add(role + " " + op + " -> " + r.status() + " " + r.text());
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void aDemotionAppliesToTokensAlreadyIssued() {
    String admin = tokens.get("admin");
    Reply created = api.post("/users", admin, new JsonObject().put("username", "temp-admin")
        .put("password", "another long password").put("role", "admin"));
    assertEquals(201, created.status(), created.text());
    String token = api.token("temp-admin", "another long password");
    assertEquals(200, api.get("/users", token).status());
    long id = created.json().getLong("id");
    assertEquals(200, api.call(HttpMethod.PATCH, "/users/" + id, admin, new JsonObject().put("role", "viewer")).status());
    assertEquals(403, api.get("/users", token).status());
    assertEquals(200, api.get("/keys", token).status());
  }
}
