package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Where the API listens, whether it is on at all, and CORS. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ManagementListenerTest {

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Reply send(Vertx vertx, int port, HttpMethod method, String path, MultiMap headers, JsonObject body) {
    HttpClient client = vertx.createHttpClient();
    try {
      return client.request(new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(method).setURI(path))
          .compose(req -> {
            if (headers != null) req.headers().addAll(headers);
            if (body != null) req.putHeader("content-type", "application/json");
            return body == null ? req.send() : req.send(body.toBuffer());
          })
          .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b))).await();
    } finally {
      client.close();
    }
  }

  @Test
  void aSeparateListenerServesTheApiAndTheGatewayPortDoesNot(Vertx vertx) throws IOException {
    int port = freePort();
    try (AdminFixture api = AdminFixture.start(TestGateway.builder(vertx).management("port", port).management("host", "127.0.0.1"))) {
      assertEquals(port, api.gateway.managementPort());
      Reply onGateway = api.get("/openapi.json", null);
      assertEquals(404, onGateway.status(), "not on the public port");
      Reply login = send(vertx, port, HttpMethod.POST, "/api/v1/auth/login", null,
          new JsonObject().put("username", "view").put("password", AdminFixture.PASSWORD));
      assertEquals(200, login.status(), login.text());
      MultiMap auth = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + login.json().getString("access_token"));
      assertEquals("view", send(vertx, port, HttpMethod.GET, "/api/v1/auth/me", auth, null).json().getString("username"));
      Reply elsewhere = send(vertx, port, HttpMethod.GET, "/v1/models", null, null);
      assertEquals(404, elsewhere.status());
      assertEquals("not_found", elsewhere.json().getJsonObject("error").getString("code"));
    }
  }

  private static MultiMap forwardedFor(String chain) {
    return MultiMap.caseInsensitiveMultiMap().add("x-forwarded-for", chain).add("content-type", "application/json");
  }

  private static Buffer login(String user, String password) {
    return new JsonObject().put("username", user).put("password", password).toBuffer();
  }

  @Test
  void behindATrustedProxyTheLastForwardedAddressIsTheClient(Vertx vertx) {
    try (AdminFixture api = AdminFixture.start(TestGateway.builder(vertx).management("trustForwardedFor", true))) {
      // the client forges the first entry; the proxy appended the real address last
      for (int i = 0; i < 5; i++) {
        assertEquals(401, api.raw(HttpMethod.POST, "/auth/login", null, login("nobody" + i, "x"),
            forwardedFor("198.51.100.1, 203.0.113.7")).status());
      }
      assertEquals(429, api.raw(HttpMethod.POST, "/auth/login", null, login("view", AdminFixture.PASSWORD),
          forwardedFor("203.0.113.7")).status(), "that client is locked out");
      assertEquals(200, api.raw(HttpMethod.POST, "/auth/login", null, login("view", AdminFixture.PASSWORD),
          forwardedFor("198.51.100.1, 203.0.113.8")).status(), "another client behind the same proxy is not");
      JsonObject entry = api.get("/audit?action=auth.login_failed&limit=1", api.token("admin")).json().getJsonArray("items").getJsonObject(0);
      assertEquals("203.0.113.7", entry.getString("remote"));
    }
  }

  @Test
  void withoutTrustTheForwardedHeaderIsIgnored(Vertx vertx) {
    try (AdminFixture api = AdminFixture.start(vertx)) {
      for (int i = 0; i < 5; i++) {
        api.raw(HttpMethod.POST, "/auth/login", null, login("nobody" + i, "x"), forwardedFor("203.0.113." + i));
      }
      assertEquals(429, api.raw(HttpMethod.POST, "/auth/login", null, login("view", AdminFixture.PASSWORD),
          forwardedFor("203.0.113.99")).status(), "a forged header does not escape the per-address limit");
    }
  }

  @Test
  void disabledMeansNoApiAndNoUsers(Vertx vertx) {
    try (TestGateway gateway = TestGateway.builder(vertx).management("enabled", false).start()) {
      assertEquals(404, gateway.get("/api/v1/openapi.json", null).status());
      assertEquals(0, gateway.store().admin().countUsers().await());
    }
  }

  @Test
  void corsIsOffUnlessOriginsAreConfigured(Vertx vertx) {
    MultiMap preflight = MultiMap.caseInsensitiveMultiMap().add("origin", "https://admin.example.com")
        .add("access-control-request-method", "POST").add("access-control-request-headers", "authorization,content-type");
    try (AdminFixture api = AdminFixture.start(vertx)) {
      Reply r = api.raw(HttpMethod.OPTIONS, "/auth/login", null, null, preflight);
      assertNull(r.header("access-control-allow-origin"), "no CORS by default");
    }
    try (AdminFixture api = AdminFixture.start(TestGateway.builder(vertx).management("corsOrigins", "https://admin.example.com"))) {
      Reply r = api.raw(HttpMethod.OPTIONS, "/auth/login", null, null, preflight);
      assertEquals("https://admin.example.com", r.header("access-control-allow-origin"));
      assertTrue(r.header("access-control-allow-headers").toLowerCase().contains("authorization"));
      MultiMap other = MultiMap.caseInsensitiveMultiMap().add("origin", "https://evil.example.com")
          .add("access-control-request-method", "POST");
      Reply denied = api.raw(HttpMethod.OPTIONS, "/auth/login", null, Buffer.buffer(), other);
      assertNull(denied.header("access-control-allow-origin"));
      assertEquals(403, denied.status());
      assertEquals("forbidden", denied.json().getJsonObject("error").getString("code"));
    }
  }
}
