package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.store.AdminStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Login, refresh, logout, password change and "who am I". A login checks the lockout of the
 * username and of the client address before the password, so a locked-out guesser learns nothing.
 */
final class AuthRoutes {

  private final AdminStore store;
  private final Tokens tokens;
  private final Authenticator auth;
  private final Passwords passwords;
  private final LoginLimiter limiter;
  private final Audit audit;

  AuthRoutes(AdminStore store, Tokens tokens, Authenticator auth, Passwords passwords, LoginLimiter limiter, Audit audit) {
    this.store = store;
    this.tokens = tokens;
    this.auth = auth;
    this.passwords = passwords;
    this.limiter = limiter;
    this.audit = audit;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.open(POST, "/auth/login", this::login),
        Endpoint.open(POST, "/auth/refresh", this::refresh),
        Endpoint.of(POST, "/auth/logout", Role.VIEWER, this::logout),
        Endpoint.of(POST, "/auth/password", Role.VIEWER, this::changePassword),
        Endpoint.of(GET, "/auth/me", Role.VIEWER, this::me));
  }

  private Future<Reply> login(Call call) {
    Fields f = new Fields(call.body(), Set.of("username", "password"));
    String username = f.text("username", true, 256);
    String password = f.text("password", true, 1024);
    f.check();
    long now = System.currentTimeMillis();
    String userKey = "user:" + username;
    String addressKey = "address:" + call.remote();
    return Future.all(limiter.lockedFor(userKey, now), limiter.lockedFor(addressKey, now)).compose(locks -> {
      long wait = Math.max(locks.<Long>resultAt(0), locks.<Long>resultAt(1));
      if (wait > 0) {
        return Future.failedFuture(ApiError.tooManyAttempts((wait + 999) / 1000));
      }
      return checkPassword(call, username, password, userKey, addressKey, now);
    });
  }

  private Future<Reply> checkPassword(Call call, String username, String password, String userKey, String addressKey, long now) {
    return store.userByName(username).compose(user -> passwords.matches(password, user == null ? null : user.passwordHash())
        .compose(ok -> {
          if (!ok || !user.enabled() || Role.parse(user.role()) == null) {
            return Future.all(limiter.failure(userKey, now), limiter.failure(addressKey, now))
                .compose(v -> audit.record(username, call.remote(), "auth.login_failed", "user:" + username))
                .compose(v -> Future.failedFuture(ApiError.unauthorized("Wrong username or password.")));
          }
          return Future.all(limiter.success(userKey), limiter.success(addressKey)).compose(v -> startSession(user.id(), user.username(), Role.parse(user.role()))
              .compose(body -> audit.record(username, call.remote(), "auth.login", "user:" + user.id()).map(Reply.ok(body))));
        }));
  }

  private Future<JsonObject> startSession(long userId, String username, Role role) {
    String sessionId = Passwords.random(24);
    return store.createSession(sessionId, userId, System.currentTimeMillis() + tokens.refreshTtlMs())
        .map(v -> tokens.issue(userId, username, role, sessionId));
  }

  /** A refresh token buys a new pair once: its session is replaced by a new one. */
  private Future<Reply> refresh(Call call) {
    Fields f = new Fields(call.body(), Set.of("refresh_token"));
    String token = f.text("refresh_token", true, 8192);
    f.check();
    return tokens.verify(token, Tokens.REFRESH)
        .compose(auth::principal)
        .compose(p -> store.revokeSession(p.sessionId()).compose(v -> startSession(p.userId(), p.username(), p.role())))
        .map(Reply::ok);
  }

  private Future<Reply> logout(Call call) {
    return store.revokeSession(call.principal.sessionId())
        .compose(v -> audit.record(call, "auth.logout", "user:" + call.principal.userId(), null))
        .map(Reply.noContent());
  }

  private Future<Reply> changePassword(Call call) {
    Fields f = new Fields(call.body(), Set.of("currentPassword", "newPassword"));
    String current = f.text("currentPassword", true, 1024);
    String next = f.password("newPassword", true);
    f.check();
    long userId = call.principal.userId();
    return store.user(userId)
        .compose(user -> passwords.matches(current, user == null ? null : user.passwordHash()))
        .compose(ok -> ok ? passwords.hash(next)
            : Future.failedFuture(ApiError.invalid("currentPassword", "is wrong")))
        .compose(hash -> store.updateUser(userId, null, null, hash))
        .compose(user -> store.revokeSessions(userId))
        .compose(v -> audit.record(call, "user.password_change", "user:" + userId, null))
        .map(Reply.noContent());
  }

  private Future<Reply> me(Call call) {
    Principal p = call.principal;
    return Future.succeededFuture(Reply.ok(new JsonObject().put("id", p.userId()).put("username", p.username())
        .put("role", p.role().wire())));
  }
}
