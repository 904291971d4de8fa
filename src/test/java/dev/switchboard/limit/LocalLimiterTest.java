package dev.switchboard.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local limiter, hammered from 8 threads released by one latch. */
class LocalLimiterTest extends LimiterContract {

  private final Limiter limiter = Limiter.local();
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void aSeededCounterStartsWhereTheDatabaseLeftItInItsWindowOnly() throws Exception {
    Limit rpd = Limit.requests(id + ":rpd", 3, Limit.Window.DAY);
    long day = rpd.windowStart(NOW);
    limiter.seed(rpd.key(), day, rpd.windowEnd(NOW), 2);
    assertTrue(await(limiter.acquire(List.of(rpd), NOW)).admitted(), "the third of three");
    Admission full = await(limiter.acquire(List.of(rpd), NOW));
    assertFalse(full.admitted());
    assertEquals(rpd.key(), full.limit());
    assertTrue(await(limiter.acquire(List.of(rpd), NOW + 86_400_000L)).admitted(), "the next day starts from zero");

    Limit yesterdays = Limit.units(id + ":cost-day", 5, Limit.Window.DAY);
    limiter.seed(yesterdays.key(), day - 86_400_000L, day, 5);
    assertTrue(await(limiter.acquire(List.of(yesterdays), NOW)).admitted(), "a seed of another window counts for nothing today");
  }

  @Override
  Limiter limiter() {
    return limiter;
  }

  @Override
  List<Admission> concurrently(Limiter l, List<Limit> limits, int count) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Admission>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(threads.submit(() -> {
        go.await();
        return await(l.acquire(limits, NOW));
      }));
    }
    go.countDown();
    List<Admission> out = new ArrayList<>();
    for (Future<Admission> f : answers) out.add(f.get());
    return out;
  }
}
