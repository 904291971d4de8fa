package dev.switchboard.affinity;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;

/** Bindings in a concurrent map; expired ones are dropped when read or when the map is full. */
final class LocalAffinity implements SessionAffinity {

  private record Binding(long target, long expiresAt) {}

  private final ConcurrentHashMap<String, Binding> bindings = new ConcurrentHashMap<>();
  private final int maxEntries;

  LocalAffinity(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @Override
  public Future<Long> target(String model, String sessionKey, long now) {
    String k = model + '\0' + sessionKey;
    Binding b = bindings.get(k);
    if (b == null) return Future.succeededFuture(0L);
    if (b.expiresAt() <= now) {
      bindings.remove(k, b);
      return Future.succeededFuture(0L);
    }
    return Future.succeededFuture(b.target());
  }

  @Override
  public Future<Void> bind(String model, String sessionKey, long target, long ttlMs, long now) {
    if (bindings.size() >= maxEntries) bindings.values().removeIf(b -> b.expiresAt() <= now);
    String k = model + '\0' + sessionKey;
    if (bindings.size() < maxEntries || bindings.containsKey(k)) bindings.put(k, new Binding(target, now + ttlMs));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    bindings.clear();
    return Future.succeededFuture();
  }
}
