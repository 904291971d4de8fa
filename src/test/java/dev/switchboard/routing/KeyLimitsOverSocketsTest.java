package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client key's limits are exact under 200 concurrent requests over real sockets: {@code rpm: 50}
 * admits exactly 50 (whatever protocol each request speaks) and refuses 150 with 429 and
 * {@code retry-after} in that protocol's envelope; {@code maxConcurrent: 10} against an upstream
 * that holds its answers admits exactly 10, and exactly 10 again once those have finished.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeyLimitsOverSocketsTest {

  static final String KEY = "sk-client-limits-0000000000001";
  static final String MODEL = "gpt-4o";

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
    mock.release();
    if (gateway != null) gateway.close();
  }

  private TestGateway gateway(JsonObject limits) {
    return TestGateway.builder(vertx)
        .channel(Wire.channel("only", mock, MODEL, "sk-upstream"))
        .apiKey(new JsonObject().put("name", "limited").put("key", KEY).put("limits", limits))
        .routing("retries", 0)
        .start();
  }

  /** The three client families, in turn: OpenAI Chat, Anthropic Messages, Gemini. */
  enum Family {
    CHAT("/v1/chat/completions"), MESSAGES("/v1/messages"), GEMINI("/v1beta/models/" + MODEL + ":generateContent");

    final String path;

    Family(String path) {
      this.path = path;
    }

    JsonObject body(int i) {
      return switch (this) {
        case CHAT -> Wire.chat(MODEL, "request " + i);
        case MESSAGES -> new JsonObject().put("model", MODEL).put("max_tokens", 16)
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "request " + i)));
        case GEMINI -> new JsonObject().put("contents", new JsonArray().add(new JsonObject().put("role", "user")
            .put("parts", new JsonArray().add(new JsonObject().put("text", "request " + i)))));
      };
    }

    /** Asserts the reply is a rate-limit refusal in this family's own error envelope. */
    void assertRateLimited(Reply r) {
      assertEquals(429, r.status(), r.text());
      JsonObject json = r.json();
      switch (this) {
        case CHAT -> {
          assertEquals("rate_limit_error", json.getJsonObject("error").getString("type"), r.text());
          assertEquals("rate_limit_exceeded", json.getJsonObject("error").getString("code"), r.text());
        }
        case MESSAGES -> {
          assertEquals("error", json.getString("type"), r.text());
          assertEquals("rate_limit_error", json.getJsonObject("error").getString("type"), r.text());
        }
        case GEMINI -> {
          assertEquals(429, json.getJsonObject("error").getInteger("code"), r.text());
          assertEquals("RESOURCE_EXHAUSTED", json.getJsonObject("error").getString("status"), r.text());
        }
      }
    }
  }

  private record Sent(Family family, Future<Reply> reply) {}

  private List<Sent> burst(int n) {
    List<Sent> out = new ArrayList<>();
    Family[] families = Family.values();
    for (int i = 0; i < n; i++) {
      Family f = families[i % families.length];
      out.add(new Sent(f, gateway.post(f.path, KEY, f.body(i))));
    }
    return out;
  }

  private static long retryAfter(Reply r) {
    String v = r.header("retry-after");
    assertNotNull(v, "429 without retry-after: " + r.text());
    return Long.parseLong(v);
  }

  @Test
  void rpm50Admits50Of200ConcurrentAndRefuses150In429WithRetryAfterInEachProtocolsEnvelope() {
    gateway = gateway(new JsonObject().put("rpm", 50));
    Wire.awayFromWindowEnd(vertx, 60_000, 20_000); // the 200 must fall in one minute window
    List<Sent> sent = burst(200);
    Future.join(sent.stream().map(Sent::reply).toList()).await();

    int ok = 0;
    int limited = 0;
    for (Sent s : sent) {
      Reply r = s.reply().result();
      if (r.status() == 200) {
        ok++;
        continue;
      }
      s.family().assertRateLimited(r);
      long wait = retryAfter(r);
      assertTrue(wait >= 1 && wait <= 60, "until the minute ends: " + wait);
      limited++;
    }
    assertEquals(50, ok, "exactly the limit is admitted");
    assertEquals(150, limited);
    assertEquals(50, mock.requestCount(), "refused requests never reach the upstream");
  }

  @Test
  void maxConcurrent10Admits10Of200ConcurrentWhileTheyRunAnd10AgainAfter() {
    gateway = gateway(new JsonObject().put("maxConcurrent", 10));
    mock.hold(); // admitted requests stay in flight until released: "concurrent" is exact, not a race
    List<Sent> first = burst(200);
    // each request ends up either refused (complete) or held upstream: wait until all 200 are one or the other
    assertTrue(Wire.eventually(vertx, () -> first.stream().filter(s -> s.reply().isComplete()).count() + mock.requestCount() == 200));
    assertEquals(10, mock.requestCount(), "10 in flight upstream");
    assertEquals(190, first.stream().filter(s -> s.reply().isComplete()).count(), "190 refused at once");
    for (Sent s : first) {
      if (!s.reply().isComplete()) continue;
      s.family().assertRateLimited(s.reply().result());
      assertTrue(retryAfter(s.reply().result()) >= 1);
    }
    mock.release();
    Future.join(first.stream().map(Sent::reply).toList()).await();
    assertEquals(10, first.stream().filter(s -> s.reply().result().status() == 200).count());

    // every request has settled (its usage record is written when it frees its slot), so 10 slots are free again
    assertEquals(200, gateway.awaitUsageCount(200));
    mock.hold();
    List<Sent> second = burst(30);
    assertTrue(Wire.eventually(vertx, () -> second.stream().filter(s -> s.reply().isComplete()).count() + mock.requestCount() == 40));
    assertEquals(20, mock.requestCount(), "10 more in flight upstream");
    assertEquals(20, second.stream().filter(s -> s.reply().isComplete()).count());
    mock.release();
    Future.join(second.stream().map(Sent::reply).toList()).await();
    assertEquals(10, second.stream().filter(s -> s.reply().result().status() == 200).count());
  }
}
