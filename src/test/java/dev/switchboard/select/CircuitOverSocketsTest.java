package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway against the mock upstream: a circuit opens on errors, then one probe closes it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CircuitOverSocketsTest {

  private static final String KEY = "sk-client-circuit-0000000000000001";
  private static final String MODEL = "gpt-4o";

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
  }

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  private static JsonObject chat() {
    return new JsonObject().put("model", MODEL).put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private double transitions(String to) {
    var c = gateway.metrics().registry().find("switchboard_health_transitions_total").tag("to", to).counter();
    return c == null ? 0 : c.count();
  }

  private void awaitTransition(String to) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (transitions(to) < 1 && System.nanoTime() < deadline) TestGateway.delay(vertx, 10).await();
    assertEquals(1.0, transitions(to), to);
  }

  @Test
  void errorsOpenTheCircuitAndAnAnsweredProbeClosesIt() {
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("only", mock.baseUrl(), MODEL).put("keys", new JsonArray().add("sk-upstream-1")))
        .clientKey("client", KEY)
        .routing("retries", 0).routing("maxErrorCount", 2).routing("circuitOpen", "400ms")
        .start();
    mock.defaultBehavior(Behavior.status(500));
    assertEquals(502, gateway.call(KEY, chat()).status());
    assertEquals(502, gateway.call(KEY, chat()).status());
    awaitTransition("open");

    // the edges hear of the new snapshot just after the metric moved; at most one more 502 in between
    Reply refused = gateway.call(KEY, chat());
    if (refused.status() == 502) refused = gateway.call(KEY, chat());
    assertEquals(503, refused.status(), refused.text());
    assertEquals("no_upstream_available", refused.json().getJsonObject("error").getString("code"));
    int sent = mock.requestCount();
    for (int i = 0; i < 5; i++) assertEquals(503, gateway.call(KEY, chat()).status());
    assertEquals(sent, mock.requestCount(), "an open circuit sends nothing upstream");

    mock.defaultBehavior(Behavior.ok());
    TestGateway.delay(vertx, 450).await();
    Reply probe = gateway.call(KEY, chat());
    assertEquals(200, probe.status(), probe.text());
    awaitTransition("closed");
    for (int i = 0; i < 5; i++) assertEquals(200, gateway.call(KEY, chat()).status());
    assertEquals(sent + 6, mock.requestCount());
    assertTrue(transitions("half_open") <= 1);
  }
}
