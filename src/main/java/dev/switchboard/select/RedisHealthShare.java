package dev.switchboard.select;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benches in Redis: each one a key {@code <prefix>health:bench:<state>:<target>:<model>} holding
 * its JSON, expiring with the bench (an open circuit or disabled credential is kept up to
 * {@code keepMs} past its time, until a probe decides), and published on {@code <prefix>health}.
 * One connection subscribes and is reconnected with a growing delay when lost; after each
 * (re)connection the stored benches are read again, so an instance that missed messages catches
 * up. Messages carry this instance's id: its own are ignored. An outage is logged once.
 */
final class RedisHealthShare implements HealthShare {

  static final long START_WAIT_MS = 2_000;
  static final long CLAIM_WAIT_MS = 250;
  private static final long FIRST_RETRY_MS = 500;
  private static final long MAX_RETRY_MS = 30_000;
  /** Writes waiting on a slow Redis past this are dropped: the local health stands, the peers miss one. */
  private static final int MAX_IN_FLIGHT = 1_000;
  private static final Logger log = LoggerFactory.getLogger(RedisHealthShare.class);
  /** KEYS: the probe claim. ARGV: this instance, ttl. Free, or ours already (an active check gave it back here): claimed. */
  static final String CLAIM = """
      local holder = redis.call('GET', KEYS[1])
      if holder == ARGV[1] then return 1 end
      if holder then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1
      """;

  private final Vertx vertx;
  private final Redis client;
  private final Redis subscriber;
  private final String benchKeys;
  private final String probeKeys;
  private final String channel;
  private final long keepMs;
  private final String instance = UUID.randomUUID().toString();
  private final AtomicBoolean down = new AtomicBoolean();
  // the rest is touched on the selector's context only
  private Context context;
  private Consumer<BenchEvent> onPeer;
  private RedisConnection connection;
  /** Bumped when a connection is given up: a connect that completes later for an older attempt is closed at once. */
  private int attempt;
  private volatile boolean closed;
  private long retryMs = FIRST_RETRY_MS;
  private int inFlight;

  RedisHealthShare(Vertx vertx, String url, String prefix, long keepMs) {
    this.vertx = vertx;
    this.client = Redis.createClient(vertx, options(url, 4));
    this.subscriber = Redis.createClient(vertx, options(url, 1));
    this.benchKeys = prefix + "health:bench:";
    this.probeKeys = prefix + "health:probe:";
    this.channel = prefix + "health";
    this.keepMs = keepMs;
  }

  private static RedisOptions options(String url, int pool) {
    RedisOptions o = new RedisOptions().setConnectionString(url).setMaxPoolSize(pool).setMaxPoolWaiting(1_024);
    o.getNetClientOptions().setConnectTimeout((int) START_WAIT_MS);
    return o;
  }

  @Override
  public Future<List<BenchEvent>> start(Vertx vertx, Consumer<BenchEvent> onPeer) {
    this.context = vertx.getOrCreateContext();
    this.onPeer = onPeer;
    return subscribe().compose(v -> load())
        .timeout(START_WAIT_MS, TimeUnit.MILLISECONDS)
        .recover(err -> {
          outage(err);
          dropConnection();
          reconnectLater();
          return Future.succeededFuture(List.of());
        });
  }

  @Override
  public void publish(BenchEvent e, long now) {
    if (closed || inFlight >= MAX_IN_FLIGHT) return;
    String key = benchKey(e.state(), e.target(), e.modelKey());
    String payload = e.toJson(instance).encode();
    List<Request> batch = new ArrayList<>(3);
    if (e.cleared()) {
      batch.add(Request.cmd(Command.DEL).arg(key));
    } else {
      long ttl = e.until() - now + (e.state() == Bench.State.COOLING ? 0 : keepMs);
      if (ttl > 0) batch.add(Request.cmd(Command.SET).arg(key).arg(payload).arg("PX").arg(ttl));
    }
    // A probe that answered ends its claim. One that failed keeps it until the new bench's time is
    // up: an instance that has not heard of the new bench yet must not probe the old one again.
    String probe = probeKey(e.target(), e.modelKey());
    if (e.cleared()) batch.add(Request.cmd(Command.DEL).arg(probe));
    else if (e.state() != Bench.State.COOLING) batch.add(Request.cmd(Command.PEXPIREAT).arg(probe).arg(e.until()));
    batch.add(Request.cmd(Command.PUBLISH).arg(channel).arg(payload));
    inFlight++;
    client.batch(batch).timeout(START_WAIT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
      inFlight--;
      if (ar.failed()) outage(ar.cause());
      else if (connection != null && down.compareAndSet(true, false)) log.info("Redis answers again: health is shared");
    });
  }

  @Override
  public Future<Boolean> claimProbe(Bench bench, long ttlMs) {
    if (closed) return Future.succeededFuture(true);
    String model = bench.model() == null ? "" : bench.model();
    return client.send(Request.cmd(Command.EVAL).arg(CLAIM).arg(1).arg(probeKey(bench.target(), model)).arg(instance)
            .arg(Math.max(1, ttlMs)))
        .map(r -> r.toInteger() == 1)
        .timeout(CLAIM_WAIT_MS, TimeUnit.MILLISECONDS)
        .otherwise(err -> {
          outage(err);
          return true;
        });
  }

  @Override
  public Future<Void> close() {
    closed = true;
    dropConnection();
    return Future.join(subscriber.close(), client.close()).mapEmpty();
  }

  private Future<Void> subscribe() {
    int mine = ++attempt;
    return subscriber.connect().compose(conn -> {
      if (closed || mine != attempt) {
        conn.close();
        return Future.failedFuture("superseded");
      }
      conn.handler(this::onMessage);
      conn.exceptionHandler(err -> lost(conn, err));
      conn.endHandler(v -> lost(conn, null));
      connection = conn;
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).<Void>mapEmpty();
    });
  }

  /** Every bench stored now: a SCAN over the bench keys, then their values. */
  private Future<List<BenchEvent>> load() {
    List<String> keys = new ArrayList<>();
    return scan("0", keys).compose(v -> {
      if (keys.isEmpty()) return Future.succeededFuture(List.<BenchEvent>of());
      Request mget = Request.cmd(Command.MGET);
      keys.forEach(mget::arg);
      return client.send(mget).map(values -> {
        List<BenchEvent> out = new ArrayList<>();
        for (Response value : values) {
          BenchEvent e = value == null ? null : parse(value.toString());
          if (e != null && !e.cleared()) out.add(e);
        }
        return out;
      });
    });
  }

  private Future<Void> scan(String cursor, List<String> keys) {
    return client.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(benchKeys + "*").arg("COUNT").arg(1_000))
        .compose(r -> {
          for (Response k : r.get(1)) keys.add(k.toString());
          String next = r.get(0).toString();
          return "0".equals(next) ? Future.succeededFuture() : scan(next, keys);
        });
  }

  private void onMessage(Response r) {
    if (r == null || r.size() < 3 || !"message".equals(r.get(0).toString())) return; // (un)subscribe confirmations
    JsonObject json;
    try {
      json = new JsonObject(r.get(2).toString());
    } catch (RuntimeException notJson) {
      return;
    }
    if (instance.equals(json.getString("from"))) return; // our own, coming back
    BenchEvent e = BenchEvent.fromJson(json);
    if (e != null) context.runOnContext(v -> onPeer.accept(e));
  }

  private static BenchEvent parse(String payload) {
    try {
      return BenchEvent.fromJson(new JsonObject(payload));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void lost(RedisConnection conn, Throwable err) {
    if (closed || conn != connection) return;
    connection = null;
    outage(err != null ? err : new IllegalStateException("connection closed"));
    reconnectLater();
  }

  private void reconnectLater() {
    if (closed) return;
    long delay = retryMs;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    vertx.setTimer(delay, id -> {
      if (closed || connection != null) return;
      subscribe().compose(v -> load()).timeout(START_WAIT_MS, TimeUnit.MILLISECONDS).onComplete(ar -> {
        if (closed) return;
        if (ar.failed()) {
          outage(ar.cause());
          dropConnection();
          reconnectLater();
          return;
        }
        retryMs = FIRST_RETRY_MS;
        if (down.compareAndSet(true, false)) log.info("Redis is reachable again: health is shared with the other instances");
        ar.result().forEach(onPeer); // what was set while this instance was not listening
      });
    });
  }

  private void dropConnection() {
    attempt++;
    RedisConnection conn = connection;
    connection = null;
    if (conn != null) conn.close();
  }

  private void outage(Throwable err) {
    if (!closed && down.compareAndSet(false, true)) {
      log.warn("Redis unreachable ({}): health is per instance until it is back", err.toString());
    }
  }

  private String benchKey(Bench.State state, long target, String model) {
    return benchKeys + state.name().toLowerCase() + ":" + target + ":" + model;
  }

  private String probeKey(long target, String model) {
    return probeKeys + target + ":" + model;
  }
}
