package dev.switchboard.store;

import java.nio.file.Path;

/**
 * Encrypts upstream secrets at rest with AES-256-GCM under a master key taken from the
 * environment ({@code SWITCHBOARD_MASTER_KEY}, base64 of 32 bytes) or from a key file that is
 * generated with 0600 permissions on first start. Thread-safe.
 */
public final class SecretBox {

  /** Loads the master key (blocking file I/O: call off the event loop). */
  public static SecretBox load(Path keyFile) {
    throw new UnsupportedOperationException("TODO");
  }

  public String encrypt(String plaintext) {
    throw new UnsupportedOperationException("TODO");
  }

  public String decrypt(String sealed) {
    throw new UnsupportedOperationException("TODO");
  }
}
