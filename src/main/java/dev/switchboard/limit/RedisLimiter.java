package dev.switchboard.limit;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Counters in Redis, one Lua script per call so a check-and-count is atomic across every
 * instance sharing the Redis. Counters of a window expire with it (concurrency counters
 * {@link Limit#CONCURRENT_TTL_MS} after their last acquisition), and outlive a gateway restart.
 * Scripts go by SHA; after a Redis restart (NOSCRIPT) they are sent again in full.
 */
final class RedisLimiter implements Limiter {

  /** KEYS: counters. ARGV: per counter kind (R, U, C), max, expire-at (epoch ms), then the window end for retry-after. */
  static final String ACQUIRE = """
      local now = tonumber(ARGV[1])
      for i = 1, #KEYS do
        local kind = ARGV[1 + (i - 1) * 3 + 1]
        local max = tonumber(ARGV[1 + (i - 1) * 3 + 2])
        local cur = tonumber(redis.call('GET', KEYS[i]) or '0')
        if (kind == 'U' and cur >= max) or (kind ~= 'U' and cur + 1 > max) then
          return {0, i, tonumber(ARGV[1 + (i - 1) * 3 + 3]) - now}
        end
      end
      for i = 1, #KEYS do
        if ARGV[1 + (i - 1) * 3 + 1] ~= 'U' then
          redis.call('INCR', KEYS[i])
          redis.call('PEXPIREAT', KEYS[i], ARGV[1 + (i - 1) * 3 + 3])
        end
      end
      return {1, 0, 0}
      """;

  /** KEYS: UNITS counters. ARGV: amount, then the expire-at of each. */
  static final String ADD = """
      for i = 1, #KEYS do
        redis.call('INCRBY', KEYS[i], ARGV[1])
        redis.call('PEXPIREAT', KEYS[i], ARGV[i + 1])
      end
      return 1
      """;

  /** KEYS: concurrency counters; never below zero (a release after the counter expired). */
  static final String RELEASE = """
      for i = 1, #KEYS do
        if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
      end
      return 1
      """;

  private static final String ACQUIRE_SHA = sha1(ACQUIRE);
  private static final String ADD_SHA = sha1(ADD);
  private static final String RELEASE_SHA = sha1(RELEASE);

  private final Redis client;
  private final String prefix;

  RedisLimiter(Redis client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  @Override
  public Future<Admission> acquire(List<Limit> limits, long now) {
    if (limits.isEmpty()) return Future.succeededFuture(Admission.ADMITTED);
    String[] keys = new String[limits.size()];
    String[] args = new String[1 + 3 * limits.size()];
    args[0] = Long.toString(now);
    for (int i = 0; i < limits.size(); i++) {
      Limit l = limits.get(i);
      keys[i] = prefix + l.counter(now);
      args[1 + i * 3] = l.kind() == Limit.Kind.REQUESTS ? "R" : l.kind() == Limit.Kind.UNITS ? "U" : "C";
      args[2 + i * 3] = Long.toString(l.max());
      args[3 + i * 3] = Long.toString(l.windowEnd(now));
    }
    return eval(ACQUIRE, ACQUIRE_SHA, keys, args).map(r -> {
      if (r.get(0).toLong() == 1) return Admission.ADMITTED;
      Limit l = limits.get(r.get(1).toInteger() - 1);
      return Admission.rejected(l.key(), l.kind() == Limit.Kind.CONCURRENT ? 1_000 : r.get(2).toLong());
    });
  }

  @Override
  public Future<Void> add(List<Limit> limits, long amount, long now) {
    List<Limit> units = limits.stream().filter(l -> l.kind() == Limit.Kind.UNITS).toList();
    if (units.isEmpty() || amount <= 0) return Future.succeededFuture();
    String[] keys = new String[units.size()];
    String[] args = new String[1 + units.size()];
    args[0] = Long.toString(amount);
    for (int i = 0; i < units.size(); i++) {
      keys[i] = prefix + units.get(i).counter(now);
      args[i + 1] = Long.toString(units.get(i).windowEnd(now));
    }
    return eval(ADD, ADD_SHA, keys, args).mapEmpty();
  }

  @Override
  public Future<Void> release(List<Limit> limits) {
    String[] keys = limits.stream().filter(l -> l.kind() == Limit.Kind.CONCURRENT).map(l -> prefix + l.counter(0)).toArray(String[]::new);
    if (keys.length == 0) return Future.succeededFuture();
    return eval(RELEASE, RELEASE_SHA, keys, new String[0]).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  private Future<Response> eval(String script, String sha, String[] keys, String[] args) {
    return client.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
      String m = err.getMessage();
      return m != null && m.startsWith("NOSCRIPT") ? client.send(request(Command.EVAL, script, keys, args)) : Future.failedFuture(err);
    });
  }

  private static Request request(Command cmd, String scriptOrSha, String[] keys, String[] args) {
    Request r = Request.cmd(cmd).arg(scriptOrSha).arg(keys.length);
    for (String k : keys) r.arg(k);
    for (String a : args) r.arg(a);
    return r;
  }

  static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
