package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class IdleWatchdogTest {

  @Test
  void firesOnceWhenNothingHappensForTheTimeout(Vertx vertx) throws Exception {
    AtomicInteger fired = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    IdleWatchdog[] holder = new IdleWatchdog[1];
    vertx.runOnContext(v -> holder[0] = new IdleWatchdog(vertx, 50, () -> {
      fired.incrementAndGet();
      done.tryComplete();
    }));
    done.future().await(5, TimeUnit.SECONDS);
    vertx.timer(120, TimeUnit.MILLISECONDS).await();
    assertEquals(1, fired.get(), "fired exactly once");
    assertTrue(holder[0].fired());
  }

  @Test
  void touchingKeepsItQuietAndTheIdleTimeCountsFromTheLastTouch(Vertx vertx) throws Exception {
    AtomicLong firedAt = new AtomicLong();
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    vertx.runOnContext(v -> {
      IdleWatchdog dog = new IdleWatchdog(vertx, 80, () -> {
        firedAt.set(System.nanoTime());
        done.tryComplete();
      });
      // touched every 20 ms for 300 ms, then left alone
      long periodic = vertx.setPeriodic(20, id -> dog.touch());
      vertx.setTimer(300, id -> vertx.cancelTimer(periodic));
    });
    done.future().await(5, TimeUnit.SECONDS);
    assertTrue((firedAt.get() - start) / 1_000_000 >= 300 + 80 - 25, "not before the touches stopped plus the timeout");
  }

  @Test
  void cancelledItNeverFires(Vertx vertx) throws Exception {
    AtomicInteger fired = new AtomicInteger();
    IdleWatchdog[] holder = new IdleWatchdog[1];
    vertx.runOnContext(v -> {
      holder[0] = new IdleWatchdog(vertx, 30, fired::incrementAndGet);
      holder[0].cancel();
    });
    vertx.timer(150, TimeUnit.MILLISECONDS).await();
    assertEquals(0, fired.get());
    assertFalse(holder[0].fired());
  }
}
