package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.select.Outcome.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {

  private static final long TARGET = 11;
  private static final long NOW = 1_000_000;
  private static final long MAX_COOLDOWN = 300_000;

  private final Health health = new Health(MAX_COOLDOWN);

  private static Outcome outcome(Kind kind, int status, long retryAfterMs) {
    return new Outcome(TARGET, 1, kind, status, retryAfterMs, 42);
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
    return health.apply(outcome(kind, status, -1), now);
  }

  private Long benchedUntil() {
    return health.benched().get(TARGET);
  }

  @Test
  void aRateLimitBenchesForTheRetryAfterTheUpstreamAskedFor() {
    assertTrue(health.apply(outcome(Kind.RATE_LIMITED, 429, 2_000), NOW));
    assertEquals(NOW + 2_000, benchedUntil());
  }

  @Test
  void aRateLimitBenchIsCappedByTheMaximumCooldown() {
    health.apply(outcome(Kind.RATE_LIMITED, 429, 3_600_000), NOW);
    assertEquals(NOW + MAX_COOLDOWN, benchedUntil());
  }

  @Test
  void aRateLimitWithoutRetryAfterBenchesForTheDefault() {
    health.apply(outcome(Kind.RATE_LIMITED, 429, -1), NOW);
    assertEquals(NOW + Health.DEFAULT_RATE_LIMIT_MS, benchedUntil());
    Health strict = new Health(1_000);
    strict.apply(outcome(Kind.RATE_LIMITED, 429, 0), NOW);
    assertEquals(NOW + 1_000, strict.benched().get(TARGET));
  }

  @Test
  void aRejectedCredentialBenchesForTheMaximumCooldown() {
    for (int status : new int[] {401, 403}) {
      Health h = new Health(MAX_COOLDOWN);
      assertTrue(h.apply(outcome(Kind.AUTH_FAILED, status, -1), NOW));
      assertEquals(Map.of(TARGET, NOW + MAX_COOLDOWN), h.benched());
    }
  }

  @Test
  void threeFailuresInARowBenchForTenSeconds() {
    assertFalse(apply(Kind.SERVER_ERROR, NOW));
    assertFalse(apply(Kind.CONNECT_ERROR, NOW + 1));
    assertEquals(null, benchedUntil());
    assertTrue(apply(Kind.TIMEOUT, NOW + 2));
    assertEquals(NOW + 2 + Health.FAILURE_BENCH_MS, benchedUntil());
    assertEquals(10_000, Health.FAILURE_BENCH_MS);
  }

  @Test
  void theFailureBenchIsCappedByTheMaximumCooldown() {
    Health h = new Health(3_000);
    for (int i = 0; i < 3; i++) h.apply(outcome(Kind.SERVER_ERROR, 500, -1), NOW);
    assertEquals(NOW + 3_000, h.benched().get(TARGET));
  }

  @Test
  void aSuccessBreaksTheStreak() {
    apply(Kind.SERVER_ERROR, NOW);
    apply(Kind.SERVER_ERROR, NOW);
    assertFalse(apply(Kind.SUCCESS, NOW), "nothing was benched, so nothing changed");
    apply(Kind.SERVER_ERROR, NOW);
    assertFalse(apply(Kind.SERVER_ERROR, NOW));
    assertEquals(null, benchedUntil());
    assertTrue(apply(Kind.SERVER_ERROR, NOW));
  }

  @Test
  void aSuccessClearsABench() {
    health.apply(outcome(Kind.AUTH_FAILED, 401, -1), NOW);
    assertTrue(apply(Kind.SUCCESS, NOW + 1));
    assertTrue(health.benched().isEmpty());
  }

  @Test
  void clientErrorsNeitherBenchNorBreakAStreak() {
    for (int i = 0; i < 10; i++) assertFalse(apply(Kind.CLIENT_ERROR, NOW));
    assertTrue(health.benched().isEmpty());
    apply(Kind.SERVER_ERROR, NOW);
    apply(Kind.SERVER_ERROR, NOW);
    assertFalse(apply(Kind.CLIENT_ERROR, NOW));
    assertTrue(apply(Kind.SERVER_ERROR, NOW));
  }

  @Test
  void benchesAreKeptPerTarget() {
    health.apply(outcome(Kind.AUTH_FAILED, 401, -1), NOW);
    health.apply(new Outcome(-7, 7, Kind.RATE_LIMITED, 429, 1_000, 5), NOW);
    assertEquals(Map.of(TARGET, NOW + MAX_COOLDOWN, -7L, NOW + 1_000), health.benched());
    health.apply(new Outcome(-7, 7, Kind.SUCCESS, 200, -1, 5), NOW);
    assertEquals(Map.of(TARGET, NOW + MAX_COOLDOWN), health.benched());
  }

  @Test
  void expiredBenchesAreForgotten() {
    health.apply(outcome(Kind.RATE_LIMITED, 429, 1_000), NOW);
    apply(Kind.CLIENT_ERROR, NOW + 1_000);
    assertTrue(health.benched().isEmpty());
  }
}
