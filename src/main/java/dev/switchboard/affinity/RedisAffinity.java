package dev.switchboard.affinity;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Bindings as Redis strings with a PX expiry; a Redis failure reads as "not bound". */
final class RedisAffinity implements SessionAffinity {

  private static final Logger log = LoggerFactory.getLogger(RedisAffinity.class);

  private final Redis client;
  private final String prefix;

  RedisAffinity(Redis client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  @Override
  public Future<Long> target(String model, String sessionKey, long now) {
    return client.send(Request.cmd(Command.GET).arg(key(model, sessionKey)))
        .map(r -> r == null ? 0L : r.toLong())
        .recover(err -> {
          log.warn("session affinity lookup failed, routing without it: {}", err.toString());
          return Future.succeededFuture(0L);
        });
  }

  @Override
  public Future<Void> bind(String model, String sessionKey, long target, long ttlMs, long now) {
    return client.send(Request.cmd(Command.SET).arg(key(model, sessionKey)).arg(target).arg("PX").arg(Math.max(1, ttlMs)))
        .<Void>mapEmpty()
        .recover(err -> {
          log.warn("session affinity bind failed: {}", err.toString());
          return Future.succeededFuture();
        });
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  private String key(String model, String sessionKey) {
    return prefix + model + ":" + sessionKey;
  }
}
