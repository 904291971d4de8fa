package dev.switchboard.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link Limiter} must do; run against the local and the Redis implementation. */
abstract class LimiterContract {

  /**
   * Half a minute into the next minute window: near the real clock, since Redis expires
   * counters at their window's end by its own clock.
   */
  static final long NOW = (System.currentTimeMillis() / 60_000 + 1) * 60_000 + 30_000;
  static final int N = 50;
  static final int CONCURRENT = 200;

  final String id = UUID.randomUUID().toString();

  abstract Limiter limiter();

  /** Runs the acquisitions at the same time, as concurrently as the implementation allows. */
  abstract List<Admission> concurrently(Limiter limiter, List<Limit> limits, int count) throws Exception;

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static long admitted(List<Admission> answers) {
    return answers.stream().filter(Admission::admitted).count();
  }

  @Test
  void aLimitOfNAdmitsExactlyNOf200ConcurrentAcquisitions() throws Exception {
    List<Limit> limits = List.of(Limit.requests(id + ":rpm", N, Limit.Window.MINUTE));
    List<Admission> answers = concurrently(limiter(), limits, CONCURRENT);
    assertEquals(CONCURRENT, answers.size());
    assertEquals(N, admitted(answers));
    Admission rejected = answers.stream().filter(a -> !a.admitted()).findFirst().orElseThrow();
    assertEquals(id + ":rpm", rejected.limit());
  }

  @Test
  void aConcurrencyLimitOfNAdmitsExactlyNOf200AtOnceAndReleasesSlots() throws Exception {
    List<Limit> limits = List.of(Limit.concurrent(id + ":conc", N));
    assertEquals(N, admitted(concurrently(limiter(), limits, CONCURRENT)));
    await(limiter().release(limits));
    assertTrue(await(limiter().acquire(limits, NOW)).admitted(), "a released slot is free again");
    assertFalse(await(limiter().acquire(limits, NOW)).admitted());
  }

  @Test
  void aRejectionSaysWhenTheWindowEnds() throws Exception {
    List<Limit> limits = List.of(Limit.requests(id + ":rpm", 1, Limit.Window.MINUTE));
    assertTrue(await(limiter().acquire(limits, NOW)).admitted());
    Admission no = await(limiter().acquire(limits, NOW));
    assertFalse(no.admitted());
    assertEquals(30_000, no.retryAfterMs());
    assertFalse(await(limiter().acquire(limits, NOW + 29_999)).admitted());
    assertTrue(await(limiter().acquire(limits, NOW + 30_000)).admitted(), "a new minute");
  }

  @Test
  void anAcquisitionCountsAgainstEveryLimitOrNone() throws Exception {
    Limit wide = Limit.requests(id + ":wide", 10, Limit.Window.DAY);
    Limit narrow = Limit.requests(id + ":narrow", 1, Limit.Window.MINUTE);
    assertTrue(await(limiter().acquire(List.of(wide, narrow), NOW)).admitted());
    for (int i = 0; i < 5; i++) assertEquals(id + ":narrow", await(limiter().acquire(List.of(wide, narrow), NOW)).limit());
    int more = 0;
    while (await(limiter().acquire(List.of(wide), NOW)).admitted()) more++;
    assertEquals(9, more, "the rejected attempts took nothing from the wide limit");
  }

  @Test
  void unitsAreAddedAfterTheFactAndAdmitWhileBelowTheCap() throws Exception {
    List<Limit> tpm = List.of(Limit.units(id + ":tpm", 1_000, Limit.Window.MINUTE));
    assertTrue(await(limiter().acquire(tpm, NOW)).admitted());
    await(limiter().add(tpm, 999, NOW));
    assertTrue(await(limiter().acquire(tpm, NOW)).admitted(), "999 of 1,000 used");
    await(limiter().add(tpm, 1, NOW));
    assertFalse(await(limiter().acquire(tpm, NOW)).admitted());
    Limit month = Limit.units(id + ":budget", Limit.micros(5.0), Limit.Window.MONTH);
    await(limiter().add(List.of(month), Limit.micros(5.0), NOW));
    Admission broke = await(limiter().acquire(List.of(month), NOW));
    assertFalse(broke.admitted());
    assertEquals(Limit.units("x", 1, Limit.Window.MONTH).windowEnd(NOW) - NOW, broke.retryAfterMs(), "until the 1st of next month, UTC");
  }

  /** The calls of one concurrent batch, as futures, for implementations that are asynchronous. */
  static List<Future<Admission>> fire(Limiter limiter, List<Limit> limits, int count) {
    List<Future<Admission>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) all.add(limiter.acquire(limits, NOW));
    return all;
  }
}
