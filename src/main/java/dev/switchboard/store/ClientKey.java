package dev.switchboard.store;

import java.util.List;

/**
 * A client API key as stored: only the SHA-256 of the key (hex), never the key itself.
 * An empty {@code models} list allows every model.
 */
public record ClientKey(
    long id, String name, String keyHash, List<String> models, boolean enabled, String source) {

  public boolean allows(String model) {
    return models.isEmpty() || models.contains(model);
  }
}
