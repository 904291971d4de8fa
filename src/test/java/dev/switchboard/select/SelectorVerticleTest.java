package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.LocalCodec;
import dev.switchboard.config.SwitchboardConfig.Routing;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The selector on a real event bus: outcomes in, snapshots and metrics out. */
class SelectorVerticleTest {

  private static final String MODEL = "m";
  /** Two errors within a minute open a circuit for 1 s. */
  private static final Routing ROUTING = new Routing(2, 1_000, 5_000, 5_000, 0, 60_000, 2, 60_000, 1_000, 0);

  private final Vertx vertx = Vertx.vertx();
  private final GatewayMetrics metrics = GatewayMetrics.standalone();
  private final LinkedBlockingQueue<PoolSnapshot> published = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A store that only lists one channel with one key (the selector reads nothing else). */
  private static Store store() {
    Channel ch = new Channel(1, "ch1", "openai", List.of("http://a"), List.of(MODEL), Map.of(), 0, 1, true, "config",
        List.of(new Credential(11, 1, "sk", true)));
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, method, args) -> switch (method.getName()) {
      case "channels" -> Future.succeededFuture(List.of(ch));
      case "clientKeys" -> Future.succeededFuture(List.of());
      case "admin" -> Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {dev.switchboard.store.AdminStore.class},
          (p2, m2, a2) -> switch (m2.getName()) {
            case "groups", "aliases" -> Future.succeededFuture(List.of());
            default -> throw new UnsupportedOperationException(m2.getName());
          });
      default -> throw new UnsupportedOperationException(method.getName());
    });
  }

  private PoolSnapshot next(Predicate<PoolSnapshot> until) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      PoolSnapshot s = published.poll(100, TimeUnit.MILLISECONDS);
      if (s != null && until.test(s)) return s;
    }
    throw new AssertionError("no such snapshot was published");
  }

  private double transitions(String to) {
    var c = metrics.registry().find("switchboard_health_transitions_total").tag("to", to).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void errorsOpenTheCircuitInAPublishedSnapshotAndAnAnsweredProbeClosesIt() throws Exception {
    LocalCodec.register(vertx, PoolSnapshot.class, Outcome.class, Spend.class);
    vertx.eventBus().<PoolSnapshot>localConsumer(Addresses.POOL_SNAPSHOT, msg -> published.add(msg.body()));
    await(vertx.deployVerticle(new SelectorVerticle(store(), ROUTING, RouteConfig.NONE, metrics)));
    PoolSnapshot first = (PoolSnapshot) await(vertx.eventBus().request(Addresses.POOL_CURRENT, "current")).body();
    Lease lease = first.pick(MODEL, Set.of(), System.currentTimeMillis());
    assertNotNull(lease);

    vertx.eventBus().send(Addresses.POOL_OUTCOME, Outcome.of(lease, Outcome.Kind.SERVER_ERROR, 502, -1, 10));
    vertx.eventBus().send(Addresses.POOL_OUTCOME, Outcome.of(lease, Outcome.Kind.SERVER_ERROR, 502, -1, 10));
    long now = System.currentTimeMillis();
    PoolSnapshot open = next(s -> s.pick(MODEL, Set.of(), now) == null);
    assertEquals(1.0, transitions("open"));
    assertEquals(1.0, metrics.registry().find("switchboard_benched_targets").tag("state", "open").gauge().value());

    long later = now + 1_500;
    assertNotNull(open.pick(MODEL, Set.of(), later), "the probe, once the circuit's time is up");
    assertNull(open.pick(MODEL, Set.of(), later), "and only one");
    vertx.eventBus().send(Addresses.POOL_OUTCOME, Outcome.of(lease, Outcome.Kind.SUCCESS, 200, -1, 10));
    PoolSnapshot closed = next(s -> s.pick(MODEL, Set.of(), now) != null);
    assertTrue(closed.version() > open.version());
    assertEquals(1.0, transitions("closed"));
    assertEquals(0.0, metrics.registry().find("switchboard_benched_targets").tag("state", "open").gauge().value());
  }

  @Test
  void aRateLimitOnlyCoolsTheModelThatWasLimited() throws Exception {
    LocalCodec.register(vertx, PoolSnapshot.class, Outcome.class, Spend.class);
    vertx.eventBus().<PoolSnapshot>localConsumer(Addresses.POOL_SNAPSHOT, msg -> published.add(msg.body()));
    await(vertx.deployVerticle(new SelectorVerticle(store(), ROUTING, RouteConfig.NONE, metrics)));
    vertx.eventBus().send(Addresses.POOL_OUTCOME,
        new Outcome(11, 1, Outcome.Kind.RATE_LIMITED, 429, 30_000, 5, MODEL, "http://a", -1));
    long now = System.currentTimeMillis();
    PoolSnapshot cooled = next(s -> s.pick(MODEL, Set.of(), now) == null);
    assertTrue(cooled.earliestReturn(MODEL, now) > now + 25_000);
    assertEquals(1.0, transitions("cooling"));
  }
}
