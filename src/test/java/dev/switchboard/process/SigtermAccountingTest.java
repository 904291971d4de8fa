package dev.switchboard.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 5's stop test: the real gateway process on each database, 10,000 requests from 64 lanes,
 * SIGTERM once about half are settled (with requests in flight), then the database is compared
 * with what the client saw. Every complete 2xx answer has exactly one usage record, found by its
 * {@code x-request-id}; no request id is recorded twice; the hourly rollups count the same
 * requests as the records. Requests the shutdown refused or cut may have a record (a 499 or
 * 5xx) or none, never an answer without one.
 *
 * <p>PostgreSQL and MariaDB come from {@code SWITCHBOARD_TEST_PG_URL} and
 * {@code SWITCHBOARD_TEST_MYSQL_URL} (or Testcontainers); the test creates and drops its own
 * database {@value #DATABASE} on that server and never touches the one named in the URL.
 */
class SigtermAccountingTest {

  private static final String KEY = "sk-sigterm-accounting-0123456789";
  private static final String DATABASE = "switchboard_lifecycle";
  private static final int TOTAL = 10_000;
  private static final int LANES = 64;
  private static final int SIGTERM_AFTER = TOTAL / 2;
  /** The fixed usage the OpenAI mock reports: prompt, completion, cached, reasoning. */
  private static final int[] OPENAI_USAGE = {12, 8, 4, 2};

  enum Db { SQLITE, POSTGRES, MARIADB }

  @TempDir
  Path dir;
  private Vertx vertx;
  private MockUpstream openai;
  private MockUpstream anthropic;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    openai = MockUpstream.start(vertx).await();
    anthropic = MockUpstream.start(vertx).await();
    // streams take tens of milliseconds, so a SIGTERM always finds some under way
    openai.defaultBehavior(Behavior.ok().chunks(6).tokenDelayMs(10)
        .usage(OPENAI_USAGE[0], OPENAI_USAGE[1], OPENAI_USAGE[2], OPENAI_USAGE[3]));
    anthropic.defaultBehavior(Behavior.ok().chunks(4).tokenDelayMs(5).headerDelayMs(5));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Db.class)
  void everyAnsweredRequestHasExactlyOneUsageRecordAfterASigtermInTheMiddle(Db db) throws Exception {
    String url = databaseUrl(db);
    prepareDatabase(db, url);
    try {
      run(db, url);
    } finally {
      dropDatabase(db, url);
    }
  }

  private void run(Db db, String url) throws Exception {
    Files.writeString(dir.resolve("gw.yaml"), String.join("\n",
        "server: { host: 127.0.0.1, port: 0, instances: 2, shutdownGrace: 20s }",
        "database: { type: " + (db == Db.SQLITE ? "sqlite" : db == Db.POSTGRES ? "postgres" : "mysql") + ", url: '" + url + "' }",
        "security: { masterKeyFile: " + dir.resolve("master.key") + " }",
        "stats: { flushInterval: 1s, batchSize: 500 }",
        "pricing:",
        "  syncInterval: 0",
        "  models:",
        "    m-openai: { input: 1.25, output: 10, cacheRead: 0.125 }",
        "    m-claude: { input: 3, output: 15 }",
        "channels:",
        "  - { name: oai, type: openai, baseUrls: [" + openai.baseUrl() + "], keys: [sk-upstream-oai], models: [m-openai] }",
        "  - { name: claude, type: anthropic, baseUrls: [" + anthropic.baseUrl() + "], keys: [sk-upstream-claude], models: [m-claude] }",
        "apiKeys:",
        "  - { name: t, key: " + KEY + " }",
        ""));
    try (GatewayProcess gw = GatewayProcess.start(dir, "--config", "gw.yaml")) {
      int port = gw.awaitPort();
      Drive drive = new Drive(vertx, port);
      long started = System.nanoTime();
      AtomicLong settledAll = new AtomicLong();
      Future<Void> done = drive.start().andThen(ar -> settledAll.set(System.nanoTime()));

      // wakes at the SIGTERM_AFTER-th settled request, or when the drive ends first
      done.onComplete(x -> drive.halfway.countDown());
      boolean reached = drive.halfway.await(240, TimeUnit.SECONDS);
      if (drive.settled.get() < SIGTERM_AFTER) {
        throw new AssertionError(reached
            ? "the drive ended before the SIGTERM: " + drive.outcomes + "\n" + tail(gw)
            : "only " + drive.settled.get() + " requests settled in 240 s before the SIGTERM\n" + tail(gw));
      }
      int answeredAtSignal = drive.answered.size();
      int inFlightAtSignal = drive.inFlight.get();
      long signalled = System.nanoTime();
      gw.sigterm();
      assertTrue(inFlightAtSignal > 0, "the signal must arrive while requests are in flight");

      int status = gw.awaitExit(120);
      long exited = System.nanoTime();
      // after the exit every lane fails fast (connection refused); the bound only guards a hang
      try {
        done.await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the client's requests did not settle within 60 s of the gateway's exit: "
            + drive.settled.get() + " of " + TOTAL + " settled, " + drive.inFlight.get() + " in flight", e);
      }
      assertEquals(143, status, "the JVM's status after a handled SIGTERM (128 + 15)\n" + tail(gw));

      Records records = records(db, url);
      String log = gw.log();
      Path kept = Path.of("target", "sigterm-accounting-" + db.name().toLowerCase() + ".log");
      Files.createDirectories(kept.getParent());
      Files.writeString(kept, log);
      String summary = String.format(
          "SIGTERM accounting [%s]: sent %d, answered %d (%d at the signal, %d in flight), upstream calls %d, records %d"
              + " (%d for unanswered requests, statuses %s), rollup requests %d; outcomes %s;"
              + " signal after %d ms, exit %d ms later (status %d), the last request settled %d ms after the start;"
              + " %d unanswered requests held over 5 s (slowest failure %d ms); gateway says %s",
          db, drive.sent.get(), drive.answered.size(), answeredAtSignal, inFlightAtSignal,
          openai.requestCount() + anthropic.requestCount(), records.total,
          records.total - records.answeredFound(drive.answered.keySet()), records.unansweredStatuses(drive.answered.keySet()),
          records.rollupRequests, new TreeMap<>(drive.outcomes), ms(signalled - started), ms(exited - signalled), status,
          ms(settledAll.get() - started), drive.slowFailures.get(), drive.slowestFailureMs.get(), flushedLine(log));
      System.out.println(summary);

      assertEquals(TOTAL, drive.sent.get(), summary);
      assertEquals(TOTAL, drive.settled.get(), summary);
      assertTrue(drive.answered.size() > answeredAtSignal, "requests in flight at the signal are answered\n" + summary);
      List<String> duplicated = records.byId.entrySet().stream().filter(e -> e.getValue().size() > 1)
          .map(e -> e.getKey() + "=" + e.getValue()).limit(20).toList();
      assertEquals(List.of(), duplicated, "request ids recorded more than once\n" + summary);
      List<String> missing = drive.answered.keySet().stream().filter(id -> !records.byId.containsKey(id)).limit(20).toList();
      assertEquals(List.of(), missing, "answered requests without a usage record ("
          + drive.answered.keySet().stream().filter(id -> !records.byId.containsKey(id)).count() + " in all)\n"
          + summary + "\n" + tail(gw));
      assertTrue(records.total >= drive.answered.size(), summary);
      List<String> wrongStatus = drive.answered.keySet().stream()
          .filter(id -> records.byId.get(id).get(0).status != 200).limit(20).toList();
      assertEquals(List.of(), wrongStatus, "answered requests recorded with another status than 200\n" + summary);
      for (Map.Entry<String, String> answer : drive.answered.entrySet()) {
        Rec r = records.byId.get(answer.getKey()).get(0);
        assertEquals(answer.getValue(), r.model, "the model of " + answer.getKey());
        if (answer.getValue().equals("m-openai")) {
          assertEquals(OPENAI_USAGE[0], r.input, "input tokens of " + answer.getKey());
          assertEquals(OPENAI_USAGE[1], r.output, "output tokens of " + answer.getKey());
        } else {
          assertTrue(r.input > 0 && r.output > 0, "tokens of " + answer.getKey() + ": " + r.input + "/" + r.output);
        }
        assertTrue(r.priced, "the cost of " + answer.getKey());
      }
      for (Map.Entry<String, List<Rec>> e : records.byId.entrySet()) {
        if (drive.answered.containsKey(e.getKey())) continue;
        int s = e.getValue().get(0).status;
        assertTrue(s == 200 || s == 499 || s >= 500, "an unanswered request recorded with " + s + ": " + e.getKey());
      }
      assertEquals(records.total, records.rollupRequests, "the hourly rollups count what the records count\n" + summary);
      Matcher flushed = Pattern.compile("stats flushed on stop: (\\d+) records written in total").matcher(log);
      assertTrue(flushed.find(), "the stats verticle logs its flush on stop\n" + tail(gw));
      assertEquals(records.total, Long.parseLong(flushed.group(1)), "what the stats verticle says it wrote\n" + summary);
      assertFalse(log.contains("giving up flushing"), summary + "\n" + tail(gw));
      assertFalse(log.contains("stop did not complete cleanly"), summary + "\n" + tail(gw));
      assertFalse(log.contains(KEY), "the client key never reaches the log");
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static String flushedLine(String log) {
    Matcher m = Pattern.compile("stats flushed on stop: .*").matcher(log);
    return m.find() ? "'" + m.group() + "'" : "nothing about the flush";
  }

  private static String tail(GatewayProcess gw) {
    String[] lines = gw.log().split("\n");
    return "--- gateway log (last 60 lines) ---\n"
        + String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
  }

  /** 10,000 requests from 64 lanes; each lane sends its next request when the last one settles. */
  private static final class Drive {
    final Vertx vertx;
    final HttpClientAgent client;
    final int port;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger settled = new AtomicInteger();
    /** Opens when {@code SIGTERM_AFTER} requests have settled. */
    final CountDownLatch halfway = new CountDownLatch(1);
    final AtomicInteger inFlight = new AtomicInteger();
    /** Request id to model, for every complete 2xx answer. */
    final Map<String, String> answered = new ConcurrentHashMap<>();
    final Map<String, Long> outcomes = new ConcurrentHashMap<>();
    /** Unanswered requests that took over 5 s to fail: held by the gateway, not refused. */
    final AtomicInteger slowFailures = new AtomicInteger();
    final AtomicLong slowestFailureMs = new AtomicLong();

    Drive(Vertx vertx, int port) {
      this.vertx = vertx;
      this.port = port;
      this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(LANES));
    }

    Future<Void> start() {
      List<Future<Void>> lanes = new ArrayList<>();
      for (int i = 0; i < LANES; i++) {
        Promise<Void> lane = Promise.promise();
        Context ctx = vertx.getOrCreateContext();
        ctx.runOnContext(v -> next(ctx, lane));
        lanes.add(lane.future());
      }
      return Future.all(lanes).mapEmpty();
    }

    private void next(Context ctx, Promise<Void> lane) {
      int i = next.getAndIncrement();
      if (i >= TOTAL) {
        lane.complete();
        return;
      }
      sent.incrementAndGet();
      inFlight.incrementAndGet();
      long began = System.nanoTime();
      send(i).onComplete(ar -> {
        if (ar.failed()) {
          long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
          slowestFailureMs.accumulateAndGet(took, Math::max);
          if (took > 5_000) slowFailures.incrementAndGet();
        }
        String outcome = ar.succeeded() ? "answered" : ar.cause() instanceof Refused r ? r.getMessage()
            : ar.cause().getClass().getSimpleName();
        outcomes.merge(outcome, 1L, Long::sum);
        inFlight.decrementAndGet();
        if (settled.incrementAndGet() == SIGTERM_AFTER) halfway.countDown();
        ctx.runOnContext(v -> next(ctx, lane));
      });
    }

    /** Succeeds only for a complete answer: a 200 whose body is whole; records its request id. */
    private Future<Void> send(int i) {
      String model = i % 2 == 0 ? "m-openai" : "m-claude";
      int kind = (i / 2) % 3; // 0: not streamed, 1: streamed, 2: streamed with include_usage
      boolean stream = kind > 0;
      JsonObject body = new JsonObject().put("model", model).put("stream", stream)
          .put("messages", List.of(Map.of("role", "user", "content", "request " + i + ": say something")));
      if (kind == 2) body.put("stream_options", new JsonObject().put("include_usage", true));
      return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI("/v1/chat/completions").setIdleTimeout(60_000)
              .putHeader("authorization", "Bearer " + KEY).putHeader("content-type", "application/json"))
          .compose(req -> req.send(body.toBuffer()))
          .compose(resp -> resp.body().map(b -> {
            String id = resp.getHeader("x-request-id");
            if (resp.statusCode() != 200) throw new Refused("status " + resp.statusCode());
            String text = b.toString();
            if (stream ? !text.endsWith("data: [DONE]\n\n") : !text.contains("\"choices\"")) {
              throw new Refused("cut " + (stream ? "stream" : "body"));
            }
            if (kind == 2 && !text.contains("\"usage\"")) throw new Refused("stream without usage");
            if (id == null) throw new Refused("no x-request-id");
            answered.put(id, model);
            return null;
          }));
    }
  }

  /** A failure the client saw with a reason worth counting by name. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private record Rec(String model, int status, long input, long output, boolean priced) {}

  private static final class Records {
    final Map<String, List<Rec>> byId = new HashMap<>();
    long total;
    long rollupRequests;

    long answeredFound(java.util.Set<String> answered) {
      return answered.stream().filter(byId::containsKey).mapToLong(id -> byId.get(id).size()).sum();
    }

    Map<Integer, Long> unansweredStatuses(java.util.Set<String> answered) {
      return byId.entrySet().stream().filter(e -> !answered.contains(e.getKey()))
          .flatMap(e -> e.getValue().stream())
          .collect(Collectors.groupingBy(Rec::status, TreeMap::new, Collectors.counting()));
    }
  }

  private Records records(Db db, String url) {
    Pool pool = pool(db, url);
    try {
      Records out = new Records();
      for (Row row : pool.query("SELECT request_id, model, status, input_tokens, output_tokens, cost_nanos"
          + " FROM usage_records").execute().await(60, TimeUnit.SECONDS)) {
        out.total++;
        out.byId.computeIfAbsent(row.getString(0), k -> new ArrayList<>())
            .add(new Rec(row.getString(1), row.getInteger(2), row.getLong(3), row.getLong(4), row.getValue(5) != null));
      }
      Row sum = pool.query("SELECT COALESCE(SUM(requests), 0) FROM usage_hourly").execute()
          .await(60, TimeUnit.SECONDS).iterator().next();
      out.rollupRequests = ((Number) sum.getValue(0)).longValue();
      return out;
    } catch (Exception e) {
      throw new AssertionError("reading the usage records failed", e);
    } finally {
      close(pool);
    }
  }

  // --- the database of this test, on its own ---

  /** The URL the gateway is given: a file in the temporary directory, or {@value #DATABASE} on the server. */
  private String databaseUrl(Db db) {
    if (db == Db.SQLITE) return dir.resolve("gw.db").toString();
    String server = db == Db.POSTGRES ? TestServers.postgresUrl() : TestServers.mysqlUrl();
    String variable = db == Db.POSTGRES ? "SWITCHBOARD_TEST_PG_URL" : "SWITCHBOARD_TEST_MYSQL_URL";
    if (server == null || server.isBlank()) {
      String notice = "*** SKIPPED: SIGTERM accounting on " + db + " — set " + variable
          + " (or run a Docker engine for Testcontainers) ***";
      System.err.println();
      System.err.println(notice);
      System.err.println();
      Assumptions.abort(notice);
    }
    return withDatabase(server, DATABASE);
  }

  /** {@code scheme://user@host:port/db?query} with another db. */
  static String withDatabase(String url, String name) {
    int host = url.indexOf("://") + 3;
    int query = url.indexOf('?', host);
    int end = query < 0 ? url.length() : query;
    int slash = url.indexOf('/', host);
    String server = slash < 0 || slash > end ? url.substring(0, end) : url.substring(0, slash);
    return server + "/" + name + (query < 0 ? "" : url.substring(query));
  }

  /** Drops {@value #DATABASE} if a previous run left it, and creates it empty; SQLite needs nothing. */
  private void prepareDatabase(Db db, String url) {
    if (db == Db.SQLITE) return;
    admin(db, url, "DROP DATABASE IF EXISTS " + DATABASE, "CREATE DATABASE " + DATABASE);
  }

  private void dropDatabase(Db db, String url) {
    if (db == Db.SQLITE) return;
    admin(db, url, "DROP DATABASE IF EXISTS " + DATABASE);
  }

  /** Statements run on the server's own database (the one in its URL), never on {@value #DATABASE}. */
  private void admin(Db db, String url, String... statements) {
    String server = db == Db.POSTGRES ? TestServers.postgresUrl() : TestServers.mysqlUrl();
    Pool pool = pool(db, server);
    try {
      for (String sql : statements) {
        pool.query(sql).execute().await(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new AssertionError("database set-up failed on " + db + ": " + e, e);
    } finally {
      close(pool);
    }
  }

  private static void close(Pool pool) {
    try {
      pool.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("closing a test pool failed: " + e);
    }
  }

  private Pool pool(Db db, String url) {
    io.vertx.sqlclient.PoolOptions options = new io.vertx.sqlclient.PoolOptions().setMaxSize(1);
    if (db == Db.SQLITE) {
      return JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl("jdbc:sqlite:" + url), options);
    }
    SqlConnectOptions connect = db == Db.POSTGRES ? PgConnectOptions.fromUri(url) : MySQLConnectOptions.fromUri(url);
    return Pool.pool(vertx, connect, options);
  }
}
