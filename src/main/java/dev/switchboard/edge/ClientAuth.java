package dev.switchboard.edge;

import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.KeyHash;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads the client key the way each SDK sends it and turns it into the SHA-256 the key cache is
 * indexed by. Keys are never compared in clear, only looked up by their hash.
 */
public final class ClientAuth {

  private ClientAuth() {}

  /**
   * {@code Authorization: Bearer <key>} (OpenAI), {@code x-api-key} (Anthropic),
   * {@code x-goog-api-key} or {@code ?key=} (Gemini); null when none is present.
   */
  public static String presentedKey(HttpServerRequest req) {
    String auth = req.getHeader("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String key = auth.substring(7).trim();
      return key.isEmpty() ? null : key;
    }
    String apiKey = req.getHeader("x-api-key");
    if (apiKey == null || apiKey.isBlank()) apiKey = req.getHeader("x-goog-api-key");
    if (apiKey == null || apiKey.isBlank()) apiKey = req.getParam("key");
    return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
  }

  /**
   * The client key the request presents, looked up in {@code pool} by its SHA-256 (timing can
   * only tell about the hash, never about the key).
   *
   * @throws GatewayError 401 when the request has no key or an unknown one
   */
  static ClientKey clientKey(HttpServerRequest req, PoolSnapshot pool) {
    String key = presentedKey(req);
    if (key == null) {
      throw GatewayError.unauthorized("Missing API key. Send it as 'Authorization: Bearer <key>', 'x-api-key' or 'x-goog-api-key'.");
    }
    ClientKey clientKey = pool.keyByHash(sha256Hex(key));
    if (clientKey == null) {
      throw GatewayError.unauthorized("Invalid API key.");
    }
    return clientKey;
  }

  public static String sha256Hex(String key) {
    return KeyHash.sha256Hex(key);
  }
}
