package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.TestGateway.Reply;
import dev.switchboard.store.SecretBox;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Path;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AuthApiTest {

  /** Where this suite's gateway keeps its data; the PostgreSQL and MariaDB subclasses override it. */
  AdminDb db() {
    return AdminDb.SQLITE;
  }

  private AdminFixture api;

  @BeforeEach
  void start(Vertx vertx) {
    api = AdminFixture.start(vertx, db());
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject payload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  @Test
  void loginAnswersABearerPairAndTheTokenIdentifiesTheUser() {
    Reply login = api.login("admin", AdminFixture.PASSWORD);
    assertEquals(200, login.status(), login.text());
    JsonObject body = login.json();
    assertEquals("Bearer", body.getString("token_type"));
    assertEquals(900, body.getLong("expires_in"));
    assertNotNull(body.getString("refresh_token"));
    Reply me = api.get("/auth/me", body.getString("access_token"));
    assertEquals(200, me.status(), me.text());
    assertEquals("admin", me.json().getString("username"));
    assertEquals("admin", me.json().getString("role"));
  }

  @Test
  void aWrongPasswordAndAnUnknownUserLookTheSame() {
    Reply wrong = api.login("admin", "not the password");
    Reply unknown = api.login("nobody", "not the password");
    assertEquals(401, wrong.status());
    assertEquals(401, unknown.status());
    assertEquals(wrong.json(), unknown.json());
    assertEquals("unauthorized", wrong.json().getJsonObject("error").getString("code"));
  }

  @Test
  void missingMalformedTamperedAndNoneTokensAre401() {
    String token = api.token("view");
    assertEquals(401, api.get("/auth/me", null).status());
    assertEquals(401, api.get("/auth/me", "not-a-jwt").status());
    String[] parts = token.split("\\.");
    // promote ourselves to admin in the payload, keep the signature
    String forged = parts[0] + "." + b64(payload(token).put("role", "admin").put("uid", 1).encode()) + "." + parts[2];
    Reply tampered = api.get("/users", forged);
    assertEquals(401, tampered.status(), tampered.text());
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    assertEquals(401, api.get("/auth/me", none).status());
    String noneNoDot = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1];
    assertEquals(401, api.get("/auth/me", noneNoDot).status());
    Reply stillGood = api.get("/auth/me", token);
    assertEquals(200, stillGood.status(), "the untouched token works, so the 401s above are about tampering");
    assertEquals("Bearer", api.get("/auth/me", null).header("www-authenticate"));
  }

  @Test
  void anExpiredTokenIs401(Vertx vertx) {
    String token = api.token("view");
    // re-sign its claims with the gateway's own key: once still valid, once expired a minute ago
    SecretBox box = SecretBox.load(Path.of(api.gateway.config().security().masterKeyFile()));
    String secret = box.decrypt(api.gateway.store().setting(AdminBootstrap.HS256_SETTING).await());
    JWTAuth jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = payload(token);
    String valid = jwt.generateToken(claims.copy().put("exp", now + 60), new JWTOptions().setAlgorithm("HS256"));
    String expired = jwt.generateToken(claims.copy().put("exp", now - 60), new JWTOptions().setAlgorithm("HS256"));
    assertEquals(200, api.get("/auth/me", valid).status(), "a re-signed token with a future expiry is accepted");
    Reply reply = api.get("/auth/me", expired);
    assertEquals(401, reply.status(), reply.text());
  }

  @Test
  void aRefreshTokenIsNotAnAccessTokenAndBuysANewPairOnce() {
    JsonObject pair = api.login("oper", AdminFixture.PASSWORD).json();
    String refresh = pair.getString("refresh_token");
    assertEquals(401, api.get("/auth/me", refresh).status());
    Reply renewed = api.post("/auth/refresh", null, new JsonObject().put("refresh_token", refresh));
    assertEquals(200, renewed.status(), renewed.text());
    assertEquals(200, api.get("/auth/me", renewed.json().getString("access_token")).status());
    assertEquals(401, api.post("/auth/refresh", null, new JsonObject().put("refresh_token", refresh)).status(),
        "a used refresh token is spent");
    assertEquals(401, api.get("/auth/me", pair.getString("access_token")).status(), "the old session is gone");
    assertEquals(401, api.post("/auth/refresh", null, new JsonObject().put("refresh_token", pair.getString("access_token"))).status());
  }

  @Test
  void logoutRevokesTheSessionsTokens() {
    JsonObject pair = api.login("view", AdminFixture.PASSWORD).json();
    String access = pair.getString("access_token");
    String other = api.token("view");
    assertEquals(204, api.post("/auth/logout", access, null).status());
    assertEquals(401, api.get("/auth/me", access).status());
    assertEquals(401, api.post("/auth/refresh", null, new JsonObject().put("refresh_token", pair.getString("refresh_token"))).status());
    assertEquals(200, api.get("/auth/me", other).status(), "another login of the same user is untouched");
  }

  @Test
  void changingThePasswordEndsEverySessionAndTheNewOneWorks() {
    String token = api.token("oper");
    Reply wrong = api.post("/auth/password", token, new JsonObject().put("currentPassword", "nope").put("newPassword", "a brand new password"));
    assertEquals(400, wrong.status());
    assertTrue(wrong.json().getJsonObject("error").getJsonObject("fields").containsKey("currentPassword"));
    Reply weak = api.post("/auth/password", token, new JsonObject().put("currentPassword", AdminFixture.PASSWORD).put("newPassword", "short"));
    assertEquals(400, weak.status());
    assertTrue(weak.json().getJsonObject("error").getJsonObject("fields").containsKey("newPassword"));
    Reply ok = api.post("/auth/password", token, new JsonObject().put("currentPassword", AdminFixture.PASSWORD).put("newPassword", "a brand new password"));
    assertEquals(204, ok.status(), ok.text());
    assertEquals(401, api.get("/auth/me", token).status());
    assertEquals(401, api.login("oper", AdminFixture.PASSWORD).status());
    assertEquals(200, api.login("oper", "a brand new password").status());
  }

  @Test
  void repeatedFailuresLockTheUsernameOutWith429AndRetryAfter() {
    for (int i = 0; i < 5; i++) {
      assertEquals(401, api.login("oper", "guess " + i).status());
    }
    Reply locked = api.login("oper", AdminFixture.PASSWORD);
    assertEquals(429, locked.status(), "even the right password is refused during the lockout");
    assertEquals("too_many_attempts", locked.json().getJsonObject("error").getString("code"));
    long retryAfter = Long.parseLong(locked.header("retry-after"));
    assertTrue(retryAfter > 0 && retryAfter <= 900, "retry-after " + retryAfter);
  }

  @Test
  void theAddressIsLockedOutTooWhateverUsernameItTries() {
    for (int i = 0; i < 5; i++) {
      assertEquals(401, api.login("user" + i, "guess").status());
    }
    assertEquals(429, api.login("view", AdminFixture.PASSWORD).status());
  }

  @Test
  void aDisabledUserCannotLogInAndLosesItsSessions() {
    String view = api.token("view");
    String admin = api.token("admin");
    long id = api.get("/auth/me", view).json().getLong("id");
    Reply off = api.call(io.vertx.core.http.HttpMethod.PATCH, "/users/" + id, admin, new JsonObject().put("enabled", false));
    assertEquals(200, off.status(), off.text());
    assertEquals(401, api.get("/auth/me", view).status());
    assertEquals(401, api.login("view", AdminFixture.PASSWORD).status());
    assertNotEquals(view, admin);
  }
}
