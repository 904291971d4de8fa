package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig.Routing;
import dev.switchboard.select.Bench.State;
import dev.switchboard.select.Outcome.Kind;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthTest {

  private static final long TARGET = 11;
  private static final long NOW = 1_000_000;
  private static final long MAX_COOLDOWN = 300_000;
  private static final String MODEL = "gpt-4o";
  /** 3 errors within 10 s open the circuit for 1 s; probes may take 5 s + 20 s. */
  private static final Routing ROUTING = new Routing(2, 5_000, 20_000, 20_000, 0, MAX_COOLDOWN, 3, 10_000, 1_000, 0);

  private final List<String> transitions = new ArrayList<>();
  private final Health health = new Health(ROUTING, transitions::add);

  private static Outcome outcome(Kind kind, int status, long retryAfterMs, String model) {
    return new Outcome(TARGET, 1, kind, status, retryAfterMs, 42, model, "http://a", -1);
  }

  private boolean apply(Kind kind, long now) {
    int status = switch (kind) {
      case SUCCESS -> 200;
      case RATE_LIMITED -> 429;
      case AUTH_FAILED -> 401;
      case SERVER_ERROR -> 502;
      case CLIENT_ERROR -> 400;
      default -> 0;
    };
    return health.apply(outcome(kind, status, -1, MODEL), now);
  }

  private Bench bench(State state) {
    return health.benches().getOrDefault(TARGET, List.of()).stream().filter(b -> b.state() == state).findFirst().orElse(null);
  }

  /** A pool of one channel with the credential, seeing the health's current benches. */
  private PoolSnapshot pool(String... models) {
    Channel ch = new Channel(1, "ch1", "openai", List.of("http://a"), List.of(models), Map.of(), 0, 1, true, "config",
        List.of(new Credential(TARGET, 1, "sk", true)));
    return PoolSnapshot.of(1, List.of(ch), List.of(), RouteConfig.NONE, health.benches(), Telemetry.NONE);
  }

  @Test
  void aRateLimitCoolsTheCredentialAndModelForTheRetryAfterTheUpstreamAskedFor() {
    assertTrue(health.apply(outcome(Kind.RATE_LIMITED, 429, 2_000, MODEL), NOW));
    assertEquals(NOW + 2_000, bench(State.COOLING).until());
    assertNull(pool(MODEL, "other").pick(MODEL, Set.of(), NOW + 1_999));
    assertNotNull(pool(MODEL, "other").pick("other", Set.of(), NOW), "another model of the same key is not rate limited");
    assertNotNull(pool(MODEL).pick(MODEL, Set.of(), NOW + 2_000), "back by itself, no probe needed");
  }

  @Test
  void aRateLimitCooldownIsCappedAndHasADefault() {
    health.apply(outcome(Kind.RATE_LIMITED, 429, 3_600_000, MODEL), NOW);
    assertEquals(NOW + MAX_COOLDOWN, bench(State.COOLING).until());
    Health other = new Health(1_000);
    other.apply(outcome(Kind.RATE_LIMITED, 429, -1, MODEL), NOW);
    assertEquals(NOW + 1_000, other.benched().get(TARGET), "the 5 s default, capped at 1 s");
    Health dflt = new Health(MAX_COOLDOWN);
    dflt.apply(outcome(Kind.RATE_LIMITED, 429, 0, MODEL), NOW);
    assertEquals(NOW + Health.DEFAULT_RATE_LIMIT_MS, dflt.benched().get(TARGET));
  }

  @Test
  void aLaterLongerRetryAfterExtendsACooldownAndAShorterOneNeverShortensIt() {
    health.apply(outcome(Kind.RATE_LIMITED, 429, 5_000, MODEL), NOW);
    assertFalse(health.apply(outcome(Kind.RATE_LIMITED, 429, 1_000, MODEL), NOW + 100));
    assertEquals(NOW + 5_000, bench(State.COOLING).until());
    assertTrue(health.apply(outcome(Kind.RATE_LIMITED, 429, 9_000, MODEL), NOW + 100));
    assertEquals(NOW + 9_100, bench(State.COOLING).until());
    assertEquals(List.of("cooling"), transitions, "one transition logged, not one per 429");
  }

  @Test
  void aRejectedCredentialIsDisabledForEveryModelWithItsReason() {
    for (int status : new int[] {401, 403}) {
      Health h = new Health(ROUTING, s -> {});
      assertTrue(h.apply(outcome(Kind.AUTH_FAILED, status, -1, MODEL), NOW));
      Bench b = h.benches().get(TARGET).get(0);
      assertEquals(State.DISABLED, b.state());
      assertNull(b.model(), "every model of the credential");
      assertEquals("credential rejected (" + status + ")", b.reason());
      assertEquals(NOW + MAX_COOLDOWN, b.until());
    }
  }

  @Test
  void errorsInTheWindowOpenTheCircuitAtMaxErrorCount() {
    assertFalse(apply(Kind.SERVER_ERROR, NOW));
    assertFalse(apply(Kind.CONNECT_ERROR, NOW + 1));
    assertNull(bench(State.OPEN));
    assertTrue(apply(Kind.TIMEOUT, NOW + 2));
    assertEquals(NOW + 2 + 1_000, bench(State.OPEN).until());
    assertTrue(bench(State.OPEN).reason().startsWith("3 errors in 10000 ms"), bench(State.OPEN).reason());
    assertEquals(List.of("open"), transitions);
  }

  @Test
  void errorsOlderThanTheWindowDoNotCount() {
    apply(Kind.SERVER_ERROR, NOW);
    apply(Kind.SERVER_ERROR, NOW + 5_000);
    assertFalse(apply(Kind.SERVER_ERROR, NOW + 10_000), "the first error left the window");
    assertNull(bench(State.OPEN));
    assertTrue(apply(Kind.SERVER_ERROR, NOW + 10_001));
  }

  @Test
  void clientErrorsDoNotCount() {
    for (int i = 0; i < 10; i++) assertFalse(apply(Kind.CLIENT_ERROR, NOW));
    assertTrue(health.benches().isEmpty());
    apply(Kind.SERVER_ERROR, NOW);
    apply(Kind.SERVER_ERROR, NOW);
    assertFalse(apply(Kind.CLIENT_ERROR, NOW));
    assertTrue(apply(Kind.SERVER_ERROR, NOW));
  }

  @Test
  void anOpenCircuitLetsExactlyOneProbeThroughWhenItsTimeIsUp() {
    for (int i = 0; i < 3; i++) apply(Kind.SERVER_ERROR, NOW);
    PoolSnapshot pool = pool(MODEL);
    assertNull(pool.pick(MODEL, Set.of(), NOW + 999), "open");
    assertNotNull(pool.pick(MODEL, Set.of(), NOW + 1_000), "half-open: the probe");
    for (int i = 0; i < 100; i++) assertNull(pool.pick(MODEL, Set.of(), NOW + 1_001), "one probe only");
    assertTrue(pool.explain(MODEL, null, NOW + 1_001).candidates().get(0).skipped().contains("probe is in flight"));
    assertNotNull(pool.pick(MODEL, Set.of(), NOW + 1_000 + 25_000), "a probe never answered counts as lost");
  }

  @Test
  void aSuccessfulProbeClosesTheCircuit() {
    for (int i = 0; i < 3; i++) apply(Kind.SERVER_ERROR, NOW);
    health.sweep(NOW + 1_000);
    assertTrue(apply(Kind.SUCCESS, NOW + 1_010));
    assertTrue(health.benches().isEmpty());
    assertEquals(List.of("open", "half_open", "closed"), transitions);
    assertFalse(apply(Kind.SERVER_ERROR, NOW + 1_020), "the error count starts again");
  }

  @Test
  void aFailedProbeReopensWithDoubledBackoffCappedByTheMaximumCooldown() {
    for (int i = 0; i < 3; i++) apply(Kind.SERVER_ERROR, NOW);
    long t = NOW + 1_000;
    assertTrue(apply(Kind.SERVER_ERROR, t));
    assertEquals(t + 2_000, bench(State.OPEN).until());
    t += 2_000;
    assertTrue(apply(Kind.SERVER_ERROR, t));
    assertEquals(t + 4_000, bench(State.OPEN).until());
    assertFalse(apply(Kind.SERVER_ERROR, t + 10), "errors of requests sent before the circuit opened change nothing");
    Health capped = new Health(new Routing(2, 5_000, 20_000, 20_000, 0, 3_000, 1, 10_000, 1_000, 0), s -> {});
    capped.apply(outcome(Kind.SERVER_ERROR, 500, -1, MODEL), NOW);
    for (int i = 1; i <= 5; i++) capped.apply(outcome(Kind.SERVER_ERROR, 500, -1, MODEL), NOW + 100_000L * i);
    assertEquals(NOW + 500_000 + 3_000, capped.benched().get(TARGET));
  }

  @Test
  void aDisabledCredentialIsProbedAfterTheCooldownAndReenabledByAnAnswer() {
    apply(Kind.AUTH_FAILED, NOW);
    PoolSnapshot pool = pool(MODEL);
    assertNull(pool.pick(MODEL, Set.of(), NOW + MAX_COOLDOWN - 1));
    assertNotNull(pool.pick(MODEL, Set.of(), NOW + MAX_COOLDOWN), "its probe");
    assertTrue(apply(Kind.AUTH_FAILED, NOW + MAX_COOLDOWN + 5));
    assertEquals(NOW + 2 * MAX_COOLDOWN + 5, bench(State.DISABLED).until(), "still rejected: disabled again");
    assertTrue(apply(Kind.CLIENT_ERROR, NOW + 2 * MAX_COOLDOWN + 10), "a 400 proves the credential is accepted");
    assertTrue(health.benches().isEmpty());
    assertEquals(List.of("disabled", "disabled", "enabled"), transitions);
  }

  @Test
  void benchesAreKeptPerTargetAndModel() {
    apply(Kind.AUTH_FAILED, NOW);
    health.apply(new Outcome(-7, 7, Kind.RATE_LIMITED, 429, 1_000, 5), NOW);
    assertEquals(Map.of(TARGET, NOW + MAX_COOLDOWN, -7L, NOW + 1_000), health.benched());
    health.apply(new Outcome(-7, 7, Kind.SUCCESS, 200, -1, 5), NOW);
    assertEquals(Map.of(TARGET, NOW + MAX_COOLDOWN), health.benched());
    Set<String> models = new HashSet<>();
    for (int i = 0; i < 3; i++) health.apply(outcome(Kind.SERVER_ERROR, 500, -1, "a"), NOW);
    health.benches().get(TARGET).forEach(b -> models.add(b.state() + ":" + b.model()));
    assertEquals(Set.of("DISABLED:null", "OPEN:a"), models);
  }

  @Test
  void spentCooldownsAreForgottenWithOneLogLine() {
    health.apply(outcome(Kind.RATE_LIMITED, 429, 1_000, MODEL), NOW);
    health.sweep(NOW + 1_000);
    health.sweep(NOW + 2_000);
    assertTrue(health.benches().isEmpty());
    assertEquals(List.of("cooling", "ready"), transitions);
  }
}
