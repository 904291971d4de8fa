package dev.switchboard.routing;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** What the routing tests share: requests, reading which upstream served, and state-based waits. */
final class Wire {

  private Wire() {}

  static JsonObject chat(String model) {
    return chat(model, "hi");
  }

  static JsonObject chat(String model, String text) {
    return new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  /** A channel on a mock with its upstream keys. */
  static JsonObject channel(String name, MockUpstream mock, String model, String... keys) {
    return TestGateway.channel(name, mock.baseUrl(), model).put("keys", new JsonArray(java.util.List.of((Object[]) keys)));
  }

  /** A channel on a base URL (possibly a closed port) with its upstream keys. */
  static JsonObject channel(String name, String baseUrl, String model, String... keys) {
    return TestGateway.channel(name, baseUrl, model).put("keys", new JsonArray(java.util.List.of((Object[]) keys)));
  }

  /** {@code channel=<name>} of the reply's {@code x-switchboard-route}, or null. */
  static String channelOf(Reply reply) {
    String route = reply.header("x-switchboard-route");
    if (route == null) return null;
    for (String part : route.split(";")) {
      String p = part.trim();
      if (p.startsWith("channel=")) return p.substring("channel=".length());
    }
    return null;
  }

  /** {@code attempts=<n>} of the reply's route header, or -1. */
  static int attemptsOf(Reply reply) {
    String route = reply.header("x-switchboard-route");
    if (route == null) return -1;
    for (String part : route.split(";")) {
      String p = part.trim();
      if (p.startsWith("attempts=")) return Integer.parseInt(p.substring("attempts=".length()));
    }
    return -1;
  }

  /** The upstream key each recorded request carried, counted. */
  static Map<String, Integer> keysSeen(MockUpstream mock) {
    Map<String, Integer> out = new TreeMap<>();
    for (RecordedRequest r : mock.requests()) out.merge(String.valueOf(r.header("authorization")), 1, Integer::sum);
    return out;
  }

  static double transitions(TestGateway gateway, String to) {
    var c = gateway.metrics().registry().find("switchboard_health_transitions_total").tag("to", to).counter();
    return c == null ? 0 : c.count();
  }

  /** Polls (10 ms steps, at most 10 s) until the condition holds; false if it never did. */
  static boolean eventually(Vertx vertx, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) return false;
      TestGateway.delay(vertx, 10).await();
    }
    return true;
  }

  /**
   * Waits, when the current UTC window of {@code windowMs} ends within {@code marginMs}, until
   * the next one has begun: a burst counted against a fixed window must not straddle two.
   */
  static void awayFromWindowEnd(Vertx vertx, long windowMs, long marginMs) {
    long now = Instant.now().toEpochMilli();
    long left = windowMs - Math.floorMod(now, windowMs);
    if (left < marginMs) TestGateway.delay(vertx, left + 50).await();
  }
}
