package dev.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** BCrypt hashing and checking on worker threads: a hash takes tens of milliseconds by design. */
final class Passwords {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final BCryptPasswordEncoder encoder;
  /** Checked when the username is unknown, so both cases cost the same time; made on a worker at first use. */
  private volatile String dummyHash;

  Passwords(Vertx vertx, int strength) {
    this.vertx = vertx;
    this.encoder = new BCryptPasswordEncoder(strength);
  }

  Future<String> hash(String password) {
    return vertx.executeBlocking(() -> encoder.encode(password), false);
  }

  /** Whether {@code password} matches {@code hash}; a null hash is checked against a dummy and fails. */
  Future<Boolean> matches(String password, String hash) {
    return vertx.executeBlocking(() -> {
      try {
        if (hash == null && dummyHash == null) {
          dummyHash = encoder.encode(random(16));
        }
        boolean ok = encoder.matches(password, hash == null ? dummyHash : hash);
        return ok && hash != null;
      } catch (IllegalArgumentException e) {
        return false; // longer than BCrypt's 72 bytes: never a stored password
      }
    }, false);
  }

  /** A random URL-safe string of {@code bytes} random bytes. */
  static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
