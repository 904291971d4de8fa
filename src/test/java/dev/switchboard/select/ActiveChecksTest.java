package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active checks of disabled credentials against a real HTTP server. */
class ActiveChecksTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private volatile int answer = 200;

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int server() throws Exception {
    HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
      authorizations.add(req.path() + " " + req.getHeader("Authorization"));
      req.response().setStatusCode(answer).end("{}");
    }).listen(0, "127.0.0.1"));
    return server.actualPort();
  }

  private static PoolSnapshot disabled(int port, long now) {
    Channel ch = new Channel(1, "ch1", "openai", List.of("http://127.0.0.1:" + port + "/v1"), List.of("m"), Map.of(), 0, 1, true,
        "config", List.of(new Credential(11, 1, "sk-11", true), new Credential(12, 1, "sk-12", true)));
    Bench off = Bench.of(11, null, Bench.State.DISABLED, now - 1, "credential rejected (401)", 60_000);
    return PoolSnapshot.of(1, List.of(ch), List.of(), RouteConfig.NONE, Map.of(11L, List.of(off)), Telemetry.NONE);
  }

  private List<Outcome> run(PoolSnapshot pool, long now) throws Exception {
    List<Outcome> out = new ArrayList<>();
    ActiveChecks checks = new ActiveChecks(vertx, 1_000, 5_000, ActiveChecks.OPENAI_MODELS);
    await(checks.run(pool, now, out::add));
    await(checks.close());
    return out;
  }

  @Test
  void aDueDisabledCredentialIsCheckedWithItsOwnKeyAndAnOkEnablesIt() throws Exception {
    long now = System.currentTimeMillis();
    PoolSnapshot pool = disabled(server(), now);
    List<Outcome> out = run(pool, now);
    assertEquals(List.of("/v1/models Bearer sk-11"), authorizations, "only the disabled credential, with its key");
    assertEquals(1, out.size());
    assertEquals(Outcome.Kind.SUCCESS, out.get(0).kind());
    assertEquals(11, out.get(0).target());
    assertTrue(pool.explain("m", null, now).candidates().get(0).skipped().contains("probe is in flight"),
        "the check claimed the probe: no client request probes at the same time");
  }

  @Test
  void aRejectionKeepsItDisabledAndAnInconclusiveAnswerGivesTheProbeBack() throws Exception {
    long now = System.currentTimeMillis();
    int port = server();
    answer = 403;
    List<Outcome> rejected = run(disabled(port, now), now);
    assertEquals(Outcome.Kind.AUTH_FAILED, rejected.get(0).kind());
    answer = 404;
    PoolSnapshot pool = disabled(port, now);
    assertEquals(List.of(), run(pool, now));
    assertNotNull(pool.pick("m", Set.of(12L), now), "a client request may still probe it");
  }

  @Test
  void nothingIsCheckedBeforeItsTime() throws Exception {
    long now = System.currentTimeMillis();
    PoolSnapshot pool = disabled(server(), now + 10_000);
    assertEquals(List.of(), run(pool, now));
    assertEquals(List.of(), authorizations);
    assertNull(pool.pick("m", Set.of(12L), now));
  }
}
