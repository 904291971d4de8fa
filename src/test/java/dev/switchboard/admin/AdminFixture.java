package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.AdminStore;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A test gateway (management API on its listener) and one user per role, each with a
 * known password. Calls block the JUnit thread.
 */
final class AdminFixture implements AutoCloseable {

  static final String PASSWORD = "correct horse battery";
  private static final BCryptPasswordEncoder FAST = new BCryptPasswordEncoder(4);

  final TestGateway gateway;
  /** Every management answer's body, in order, for tests that scan them all. */
  final List<String> bodies = new CopyOnWriteArrayList<>();

  private final Vertx vertx;

  AdminFixture(TestGateway gateway) {
    this.gateway = gateway;
    this.vertx = gateway.vertx();
    AdminStore store = gateway.store().admin();
    AdminStore.User admin = store.userByName("admin").await();
    store.updateUser(admin.id(), null, null, FAST.encode(PASSWORD)).await();
    store.createUser("oper", FAST.encode(PASSWORD), "operator", true).await();
    store.createUser("view", FAST.encode(PASSWORD), "viewer", true).await();
  }

  static AdminFixture start(Vertx vertx) {
    return new AdminFixture(TestGateway.builder(vertx).start());
  }

  static AdminFixture start(TestGateway.Builder builder) {
    return new AdminFixture(builder.start());
  }

  /** A gateway keeping its data in {@code db} (emptied first); skips the test, loudly, when that server is not configured. */
  static AdminFixture start(Vertx vertx, AdminDb db) {
    return start(vertx, db, TestGateway.builder(vertx));
  }

  static AdminFixture start(Vertx vertx, AdminDb db, TestGateway.Builder builder) {
    SwitchboardConfig.Database database = AdminTestDatabases.http(vertx, db);
    if (database != null) builder.database(database.type(), database.url());
    return new AdminFixture(builder.start());
  }

  /** The first column of every row of {@code sql} on the gateway's database, as text. */
  List<String> column(String sql) {
    SwitchboardConfig.Database db = gateway.config().database();
    if (db.isSqlite()) return gateway.query(sql).stream().map(row -> String.valueOf(row.values().iterator().next())).toList();
    return AdminTestDatabases.column(vertx, db, sql);
  }

  static String hash(String password) {
    return FAST.encode(password);
  }

  Reply call(HttpMethod method, String path, String token, JsonObject body) {
    return raw(method, path, token, body == null ? null : body.toBuffer(), null);
  }

  Reply raw(HttpMethod method, String path, String token, Buffer body, MultiMap headers) {
    Reply reply = gateway.send(method, "/api/v1" + path, token, body, headers).await();
    bodies.add(reply.text());
    return reply;
  }

  Reply get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  Reply post(String path, String token, JsonObject body) {
    return call(HttpMethod.POST, path, token, body);
  }

  Reply login(String username, String password) {
    return post("/auth/login", null, new JsonObject().put("username", username).put("password", password));
  }

  /** An access token for the user, asserting the login worked. */
  String token(String username) {
    return token(username, PASSWORD);
  }

  String token(String username, String password) {
    Reply reply = login(username, password);
    assertEquals(200, reply.status(), reply.text());
    return reply.json().getString("access_token");
  }

  @Override
  public void close() {
    gateway.close();
  }
}
