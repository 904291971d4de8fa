package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig.Routing;
import dev.switchboard.select.Bench.State;
import dev.switchboard.select.Outcome.Kind;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Health between instances: what this instance decides is handed out once per transition;
 * what a peer decided is applied, counted as the peer's and never handed out again.
 */
class HealthPeerTest {

  private static final long NOW = 1_000_000;
  private static final String MODEL = "gpt-4o";
  /** 2 errors within 10 s open a circuit for 1 s; the longest bench is 60 s. */
  private static final Routing ROUTING = new Routing(2, 5_000, 20_000, 20_000, 0, 60_000, 2, 10_000, 1_000, 0);

  private final List<String> local = new ArrayList<>();
  private final List<String> peer = new ArrayList<>();
  private final List<BenchEvent> shared = new ArrayList<>();
  private final Health health = new Health(ROUTING, local::add, peer::add, shared::add);

  private static Outcome outcome(long target, Kind kind, int status, long retryAfterMs) {
    return new Outcome(target, 1, kind, status, retryAfterMs, 10, MODEL, "http://a", -1);
  }

  private Bench bench(long target, State state) {
    return health.benches().getOrDefault(target, List.of()).stream().filter(b -> b.state() == state).findFirst().orElse(null);
  }

  @Test
  void everyLocalTransitionThatSetsOrClearsABenchIsSharedOnce() {
    health.apply(outcome(1, Kind.RATE_LIMITED, 429, 3_000), NOW);
    health.apply(outcome(2, Kind.AUTH_FAILED, 401, -1), NOW);
    health.apply(outcome(3, Kind.SERVER_ERROR, 500, -1), NOW);
    health.apply(outcome(3, Kind.SERVER_ERROR, 500, -1), NOW);
    assertEquals(List.of(
        new BenchEvent(false, 1, MODEL, State.COOLING, NOW + 3_000, "rate limited (429)", 0),
        new BenchEvent(false, 2, null, State.DISABLED, NOW + 60_000, "credential rejected (401)", 0),
        new BenchEvent(false, 3, MODEL, State.OPEN, NOW + 1_000, "2 errors in 10000 ms, last SERVER_ERROR 500", 0)), shared);

    shared.clear();
    health.apply(outcome(2, Kind.SUCCESS, 200, -1), NOW + 60_000);
    health.apply(outcome(3, Kind.SUCCESS, 200, -1), NOW + 1_000);
    assertEquals(List.of(BenchEvent.clear(2, null, State.DISABLED), BenchEvent.clear(3, MODEL, State.OPEN)), shared);
    assertTrue(peer.isEmpty());
  }

  @Test
  void aPeersBenchesAreAppliedCountedAsThePeersAndNotSharedAgain() {
    assertTrue(health.applyPeer(new BenchEvent(false, 1, MODEL, State.COOLING, NOW + 3_000, "rate limited (429)", 0), NOW));
    assertTrue(health.applyPeer(new BenchEvent(false, 2, null, State.DISABLED, NOW + 60_000, "credential rejected (403)", 0), NOW));
    assertTrue(health.applyPeer(new BenchEvent(false, 3, MODEL, State.OPEN, NOW + 4_000, "5 errors", 2), NOW));
    assertEquals(NOW + 3_000, bench(1, State.COOLING).until());
    assertEquals("credential rejected (403)", bench(2, State.DISABLED).reason());
    assertEquals(NOW + 4_000, bench(3, State.OPEN).until());
    assertEquals(List.of("cooling", "disabled", "open"), peer);
    assertTrue(local.isEmpty(), "not this instance's transitions");
    assertTrue(shared.isEmpty(), "nothing echoes");

    // the same event again (a resync after reconnecting) changes nothing
    assertFalse(health.applyPeer(new BenchEvent(false, 3, MODEL, State.OPEN, NOW + 4_000, "5 errors", 2), NOW));

    // their time-driven transitions are the peer's too
    health.sweep(NOW + 60_000);
    assertEquals(List.of("cooling", "disabled", "open", "ready", "half_open", "half_open"), peer);
    assertTrue(local.isEmpty());

    // a probe failing here reopens the circuit with the peer's backoff, and that is shared
    health.apply(outcome(3, Kind.SERVER_ERROR, 502, -1), NOW + 60_000);
    assertEquals(1, shared.size());
    assertEquals(3, shared.get(0).trips());
    assertEquals(NOW + 60_000 + 8_000, shared.get(0).until(), "1 s doubled three times");
    assertEquals(List.of("open"), local);

    // the peer's clears end the benches
    assertTrue(health.applyPeer(BenchEvent.clear(2, null, State.DISABLED), NOW + 61_000));
    assertTrue(health.applyPeer(BenchEvent.clear(3, MODEL, State.OPEN), NOW + 61_000));
    assertTrue(health.benches().isEmpty(), health.benches().toString());
    assertEquals(1, shared.size());
  }

  @Test
  void anOlderCooldownFromAPeerNeverShortensOneInForce() {
    health.apply(outcome(1, Kind.RATE_LIMITED, 429, 10_000), NOW);
    assertFalse(health.applyPeer(new BenchEvent(false, 1, MODEL, State.COOLING, NOW + 2_000, "rate limited (429)", 0), NOW));
    assertEquals(NOW + 10_000, bench(1, State.COOLING).until());
    assertFalse(health.applyPeer(new BenchEvent(false, 1, MODEL, State.COOLING, NOW - 1, "rate limited (429)", 0), NOW),
        "a cooldown already over");
  }

  @Test
  void eventsSurviveTheirJsonFormAndGarbageIsNoEvent() {
    BenchEvent set = new BenchEvent(false, 7, null, State.DISABLED, NOW, "credential rejected (401)", 0);
    BenchEvent clear = BenchEvent.clear(7, MODEL, State.OPEN);
    assertEquals(set, BenchEvent.fromJson(set.toJson("me")));
    assertEquals(clear, BenchEvent.fromJson(clear.toJson("me")));
    assertEquals("me", set.toJson("me").getString("from"));
    assertEquals(null, BenchEvent.fromJson(new JsonObject().put("op", "set").put("target", 1).put("state", "BOGUS")));
    assertEquals(null, BenchEvent.fromJson(new JsonObject().put("op", "set").put("target", 1).put("state", "OPEN")));
    assertEquals(null, BenchEvent.fromJson(new JsonObject().put("op", "drop").put("target", 1).put("state", "OPEN")));
    assertEquals(null, BenchEvent.fromJson(new JsonObject().put("op", "set").put("target", "x").put("state", "OPEN").put("until", 1)));
  }
}
