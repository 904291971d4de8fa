package dev.switchboard.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change notices over one Redis pub/sub channel. A notice is {@code <instance id> <what>}: an
 * instance ignores its own. The subscription lives on a connection of its own (a subscribed
 * connection can do nothing else); when it drops, it is opened again with a growing delay, and
 * once subscribed again the instance reloads, since notices sent meanwhile were lost.
 */
final class RedisChangeNotices implements ChangeNotices {

  static final long FIRST_RETRY_MS = 250;
  static final long MAX_RETRY_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(RedisChangeNotices.class);

  private final Vertx vertx;
  private final String channel;
  private final Runnable reload;
  private final String self = UUID.randomUUID().toString();
  private final Redis publisher;
  private final Redis subscriber;
  private RedisConnection subscription;
  private long retryMs = FIRST_RETRY_MS;
  private boolean everSubscribed;
  private volatile boolean closed;

  RedisChangeNotices(Vertx vertx, String url, String channel, Runnable reload) {
    this.vertx = vertx;
    this.channel = channel;
    this.reload = reload;
    this.publisher = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(2).setMaxPoolWaiting(1_000));
    this.subscriber = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
  }

  /** The first subscription; a failure is logged and retried, not fatal. */
  Future<Void> start() {
    return subscribe().recover(err -> Future.succeededFuture());
  }

  @Override
  public void announce(String what) {
    publisher.send(Request.cmd(Command.PUBLISH).arg(channel).arg(self + " " + what))
        .onFailure(err -> LOG.warn("could not tell the other instances about a {} change (they see it on their next reload): {}",
            what, err.getMessage()));
  }

  private Future<Void> subscribe() {
    if (closed) return Future.succeededFuture();
    return subscriber.connect().compose(conn -> {
      conn.handler(this::onMessage);
      conn.exceptionHandler(err -> lost(conn, err.getMessage()));
      conn.endHandler(v -> lost(conn, "connection closed"));
      return conn.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).map(conn)
          .onFailure(err -> conn.close());
    }).<Void>map(conn -> {
      subscription = conn;
      retryMs = FIRST_RETRY_MS;
      if (everSubscribed) {
        LOG.info("change notices: subscribed again to Redis; reloading what may have changed meanwhile");
        reload.run();
      }
      everSubscribed = true;
      return null;
    }).onFailure(err -> {
      LOG.warn("change notices: cannot subscribe to Redis ({}); retrying in {} ms", err.getMessage(), retryMs);
      retryLater();
    });
  }

  private void lost(RedisConnection conn, String why) {
    if (closed || conn != subscription) return;
    subscription = null;
    LOG.warn("change notices: Redis subscription lost ({}); retrying in {} ms", why, retryMs);
    conn.close();
    retryLater();
  }

  private void retryLater() {
    if (closed) return;
    long delay = retryMs;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    vertx.setTimer(delay, id -> subscribe());
  }

  private void onMessage(Response message) {
    // ["message", channel, payload] (RESP2 array or RESP3 push); subscribe confirmations are skipped
    if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) return;
    String payload = message.get(2).toString();
    int space = payload.indexOf(' ');
    if (space <= 0 || payload.substring(0, space).equals(self)) return;
    LOG.debug("change notice from another instance: {}", payload.substring(space + 1));
    reload.run();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    RedisConnection conn = subscription;
    subscription = null;
    return (conn == null ? Future.<Void>succeededFuture() : conn.close().recover(e -> Future.succeededFuture()))
        .eventually(subscriber::close).eventually(publisher::close);
  }
}
