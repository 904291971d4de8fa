package dev.switchboard.admin;

import dev.switchboard.store.AdminStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Turns an {@code Authorization: Bearer} header into a {@link Principal}: a valid access token
 * whose login session is neither revoked nor expired and whose user is still enabled. The role
 * comes from the database, so a demotion applies to tokens already issued.
 */
final class Authenticator {

  private final Tokens tokens;
  private final AdminStore store;

  Authenticator(Tokens tokens, AdminStore store) {
    this.tokens = tokens;
    this.store = store;
  }

  Future<Principal> authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(ApiError.unauthorized("A bearer token is required."));
    }
    return tokens.verify(authorization.substring(7).trim(), Tokens.ACCESS).compose(this::principal);
  }

  /** The principal of verified claims, if their session is still good. */
  Future<Principal> principal(JsonObject claims) {
    return store.session(claims.getString("sid")).compose(s -> {
      Role role = s == null ? null : Role.parse(s.role());
      if (s == null || s.revoked() || !s.userEnabled() || s.expiresAt() <= System.currentTimeMillis() || role == null) {
        return Future.failedFuture(ApiError.unauthorized("The session has ended; log in again."));
      }
      return Future.succeededFuture(new Principal(s.userId(), s.username(), role, s.id()));
    });
  }
}
