package dev.switchboard.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatcherTest {

  private static final String ADDRESS = "test.batcher";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Completes with the first {@code n} message bodies that arrive, as they arrived. */
  private CompletableFuture<List<Object>> receive(int n) {
    CompletableFuture<List<Object>> done = new CompletableFuture<>();
    List<Object> got = new ArrayList<>();
    vertx.eventBus().localConsumer(ADDRESS, msg -> {
      got.add(msg.body());
      if (got.size() == n) done.complete(List.copyOf(got));
    });
    return done;
  }

  @Test
  void whatOneEventLoopTurnSendsArrivesAsOneBatchInOrder() throws Exception {
    Batcher batcher = new Batcher(vertx, ADDRESS);
    CompletableFuture<List<Object>> arrived = receive(2);
    vertx.runOnContext(v -> {
      batcher.send("a");
      batcher.send("b");
      batcher.send("c");
      vertx.runOnContext(w -> batcher.send("d")); // a later turn: a message of its own
    });
    List<Object> bodies = arrived.get(10, TimeUnit.SECONDS);
    Batcher.Batch first = assertInstanceOf(Batcher.Batch.class, bodies.get(0));
    assertEquals(List.of("a", "b", "c"), first.items());
    assertEquals("d", bodies.get(1));
    List<Object> flat = new ArrayList<>();
    bodies.forEach(b -> Batcher.forEach(b, flat::add));
    assertEquals(List.of("a", "b", "c", "d"), flat);
  }

  @Test
  void offAnEventLoopEachMessageGoesAtOnce() throws Exception {
    Batcher batcher = new Batcher(vertx, ADDRESS);
    CompletableFuture<List<Object>> arrived = receive(2);
    batcher.send("x");
    batcher.send("y");
    assertEquals(List.of("x", "y"), arrived.get(10, TimeUnit.SECONDS));
  }
}
