package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each edge runs on an event loop of its own: the edges take their connections in turn, so two
 * edges on one loop give that loop (and its core) twice the work while another loop has none.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EdgePlacementTest {

  private TestGateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void oneEdgePerEventLoopPutsEveryEdgeOnADifferentLoop(Vertx vertx) {
    List<String> loops = start(vertx, 0);
    assertEquals(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE, loops.size(), "instances 0: one edge per event loop");
    assertEquals(loops.size(), new HashSet<>(loops).size(), "edges on distinct event loops: " + loops);
  }

  @Test
  void fewerEdgesThanLoopsStillGetALoopEach(Vertx vertx) {
    List<String> loops = start(vertx, 2);
    assertEquals(2, loops.size());
    assertEquals(2, new HashSet<>(loops).size(), "edges on distinct event loops: " + loops);
  }

  private List<String> start(Vertx vertx, int instances) {
    MockUpstream mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL))
        .clientKey("client", CLIENT_KEY)
        .server("instances", instances)
        .start();
    assertEquals(200, gateway.call(CLIENT_KEY, Chat.request(MODEL)).status(), "the gateway serves");
    return gateway.edgeLoops();
  }
}
