package dev.switchboard.limit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;

/** The local limiter, hammered from 8 threads released by one latch. */
class LocalLimiterTest extends LimiterContract {

  private final Limiter limiter = Limiter.local();
  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    threads.shutdownNow();
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
