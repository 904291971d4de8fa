package dev.switchboard.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** How client keys are stored and looked up: SHA-256 of the key's UTF-8 bytes, lowercase hex. */
public final class KeyHash {

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  /**
   * One digest per thread: {@code MessageDigest.getInstance} walks the security providers on
   * every call, a measurable share of a proxied request's CPU when done per request.
   */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  });

  private KeyHash() {}

  /** The lowercase hex SHA-256 of {@code key}. */
  public static String sha256Hex(String key) {
    // digest() resets the instance, so a thread's next call starts clean
    byte[] digest = SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    char[] out = new char[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  /** Whether {@code value} looks like a SHA-256 in hex (64 hex digits, either case). */
  public static boolean isSha256Hex(String value) {
    if (value == null || value.length() != 64) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }
}
