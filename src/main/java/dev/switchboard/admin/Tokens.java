package dev.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.List;

/**
 * Signs and verifies the API's JWTs with vertx-auth-jwt. An access token and a refresh token
 * both name their login session ({@code sid}) and say which they are ({@code typ}), so one
 * cannot stand in for the other. Expiry, signature and algorithm (never {@code none}) are
 * checked by the library; the session by {@link Authenticator}.
 */
final class Tokens {

  static final String ISSUER = "switchboard";
  static final String AUDIENCE = "switchboard-management";
  static final String ACCESS = "access";
  static final String REFRESH = "refresh";

  private final JWTAuth jwt;
  private final String algorithm;
  private final long accessTtlMs;
  private final long refreshTtlMs;

  Tokens(Vertx vertx, String algorithm, List<PubSecKeyOptions> keys, long accessTtlMs, long refreshTtlMs) {
    JWTAuthOptions options = new JWTAuthOptions()
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE)));
    keys.forEach(options::addPubSecKey);
    this.jwt = JWTAuth.create(vertx, options);
    this.algorithm = algorithm;
    this.accessTtlMs = accessTtlMs;
    this.refreshTtlMs = refreshTtlMs;
  }

  long refreshTtlMs() {
    return refreshTtlMs;
  }

  /** The login answer: both tokens for {@code sessionId}. */
  JsonObject issue(long userId, String username, Role role, String sessionId) {
    String access = sign(new JsonObject().put("sub", username).put("uid", userId).put("role", role.wire())
        .put("sid", sessionId).put("typ", ACCESS).put("jti", Passwords.random(12)), accessTtlMs);
    String refresh = sign(new JsonObject().put("sub", username).put("uid", userId).put("sid", sessionId)
        .put("typ", REFRESH).put("jti", Passwords.random(12)), refreshTtlMs);
    return new JsonObject().put("access_token", access).put("refresh_token", refresh)
        .put("expires_in", accessTtlMs / 1000).put("token_type", "Bearer");
  }

  private String sign(JsonObject claims, long ttlMs) {
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setIssuer(ISSUER)
        .setAudience(List.of(AUDIENCE)).setExpiresInSeconds((int) Math.max(1, ttlMs / 1000)));
  }

  /** The claims of a valid token of the given type; fails with 401 otherwise. */
  Future<JsonObject> verify(String token, String type) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(ApiError.unauthorized("A bearer token is required."));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(ApiError.unauthorized("The token is invalid or expired.")))
        .compose(user -> {
          JsonObject claims = user.principal();
          if (!type.equals(claims.getString("typ")) || claims.getString("sid") == null) {
            return Future.failedFuture(ApiError.unauthorized("The token is invalid or expired."));
          }
          return Future.succeededFuture(claims);
        });
  }
}
