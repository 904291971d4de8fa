package dev.switchboard.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.Sse;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A key with {@code returnCost} learns what each answer cost, in every client protocol, whole
 * and streamed, relayed as it is or translated: the {@code x-switchboard-cost} header on whole
 * answers and {@code cost} in the usage object. A key without it sees neither.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReturnedCostTest {

  private static final String COSTLY = "sk-client-returns-cost-0000000001";
  private static final String PLAIN = "sk-client-keeps-quiet-00000000001";
  /** usage(40, 12, 8, 0): 32 × 2.5 + 8 × 1.25 + 12 × 10 = 210 per million tokens. */
  private static final String COST = "0.00021";

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    mock = MockUpstream.start(vertx).await();
    JsonObject price = new JsonObject().put("input", 2.5).put("output", 10).put("cacheRead", 1.25);
    JsonObject prices = new JsonObject();
    var builder = TestGateway.builder(vertx).routing("retries", 0)
        .apiKey(new JsonObject().put("name", "costly").put("key", COSTLY).put("returnCost", true))
        .apiKey(new JsonObject().put("name", "plain").put("key", PLAIN));
    for (String type : List.of("openai", "anthropic", "gemini", "openai-responses")) {
      builder.channel(TestGateway.channel("ch-" + type, type.equals("gemini") ? mock.geminiBaseUrl() : mock.baseUrl(),
          "m-" + type).put("type", type));
      prices.put("m-" + type, price);
    }
    gateway = builder.pricing("models", prices).start();
  }

  @AfterAll
  void stop() {
    gateway.close();
    vertx.close().await();
  }

  /** The upstream that speaks the client's protocol (pass-through) and one that needs a translation. */
  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Clients c : Clients.values()) {
      String own = switch (c) {
        case CHAT -> "openai";
        case MESSAGES -> "anthropic";
        case GEMINI -> "gemini";
        case RESPONSES -> "openai-responses";
      };
      String other = c == Clients.CHAT ? "anthropic" : "openai";
      for (String upstream : List.of(own, other)) {
        cells.add(Arguments.of(c, upstream, false));
        cells.add(Arguments.of(c, upstream, true));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} client -> {1} upstream, stream={2}")
  @MethodSource("cells")
  void aKeyThatAsksGetsTheCostInTheHeaderAndTheUsageObject(Clients client, String upstream, boolean stream) {
    Reply reply = call(client, upstream, stream, COSTLY);
    assertEquals(200, reply.status(), reply.text());
    if (stream) {
      assertNull(reply.header("x-switchboard-cost"), "a stream's head leaves before its usage is known");
    } else {
      assertEquals(COST, reply.header("x-switchboard-cost"));
    }
    List<Object> costs = costs(reply, stream);
    assertEquals(1, costs.size(), "one usage object carries the cost: " + reply.text());
    assertEquals(0, new BigDecimal(COST).compareTo(new BigDecimal(costs.get(0).toString())), reply.text());
    assertTrue(reply.text().contains("\"cost\":" + COST), "a plain decimal number: " + reply.text());
    String text = stream ? client.streamedText(reply.text()) : client.text(reply.json());
    assertEquals("Hello from the mock upstream", text, "the answer itself is intact");
  }

  @ParameterizedTest(name = "{0} client -> {1} upstream, stream={2}")
  @MethodSource("cells")
  void aKeyThatDoesNotAskSeesNoCost(Clients client, String upstream, boolean stream) {
    Reply reply = call(client, upstream, stream, PLAIN);
    assertEquals(200, reply.status(), reply.text());
    assertNull(reply.header("x-switchboard-cost"));
    assertEquals(List.of(), costs(reply, stream));
    assertFalse(reply.text().contains("\"cost\""), reply.text());
  }

  private Reply call(Clients client, String upstream, boolean stream, String key) {
    mock.enqueue(Behavior.ok().chunks(4).usage(40, 12, 8, 0));
    JsonObject body = client.body("m-" + upstream, stream);
    if (client == Clients.CHAT && stream) body.put("stream_options", new JsonObject().put("include_usage", true));
    return gateway.send(HttpMethod.POST, client.path("m-" + upstream, stream), null, body.toBuffer(), client.headers(key))
        .await();
  }

  /** Every {@code cost} found in a usage object of the answer or of any of its events. */
  private static List<Object> costs(Reply reply, boolean stream) {
    List<Object> out = new ArrayList<>();
    if (!stream) {
      collect(reply.json(), out);
      return out;
    }
    for (Sse.Event e : Sse.events(reply.text())) {
      if (e.data() != null && e.data().startsWith("{")) collect(new JsonObject(e.data()), out);
    }
    return out;
  }

  private static void collect(JsonObject json, List<Object> out) {
    for (JsonObject usage : new JsonObject[] {json.getJsonObject("usage"), json.getJsonObject("usageMetadata"),
        json.getJsonObject("response") == null ? null : json.getJsonObject("response").getJsonObject("usage")}) {
      if (usage != null && usage.getValue("cost") != null) out.add(usage.getValue("cost"));
    }
  }
}
