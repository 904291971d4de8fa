package dev.switchboard.store;

import java.util.List;

/**
 * A client API key as stored: only the SHA-256 of the key (hex), never the key itself.
 * An empty {@code models} list allows every model; {@code expiresAtMs} 0 means never;
 * {@code returnCost} whether answers to it carry their cost (header and usage object).
 */
public record ClientKey(
    long id, String name, String keyHash, List<String> models, boolean enabled, String source,
    long expiresAtMs, boolean returnCost) {

  /** A key that does not ask for the cost. */
  public ClientKey(long id, String name, String keyHash, List<String> models, boolean enabled, String source,
      long expiresAtMs) {
    this(id, name, keyHash, models, enabled, source, expiresAtMs, false);
  }

  /** A key that never expires. */
  public ClientKey(long id, String name, String keyHash, List<String> models, boolean enabled, String source) {
    this(id, name, keyHash, models, enabled, source, 0);
  }

  public boolean allows(String model) {
    return models.isEmpty() || models.contains(model);
  }

  /** Whether the key has expired at {@code nowMs}. */
  public boolean expiredAt(long nowMs) {
    return expiresAtMs > 0 && nowMs >= expiresAtMs;
  }
}
