package dev.switchboard.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every client protocol against every upstream type, whole and streamed, over real sockets:
 * the text arrives intact, the upstream got its own protocol on its own path with its own
 * auth, and the usage record holds the upstream's token counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolMatrixTest {

  private static final String KEY = "sk-client-matrix-0000000000000001";
  private static final String TEXT = "The quick brown fox, streamed in pieces";

  /** Upstream channel types, each with the model the gateway exposes for it and what the mock must see. */
  enum Upstreams {
    OPENAI("openai", "/v1/chat/completions", "authorization", "Bearer sk-up-openai"),
    ANTHROPIC("anthropic", "/v1/messages", "x-api-key", "sk-up-anthropic"),
    GEMINI("gemini", null, "x-goog-api-key", "sk-up-gemini"),
    RESPONSES("openai-responses", "/v1/responses", "authorization", "Bearer sk-up-openai-responses"),
    AZURE("azure-openai", "/openai/deployments/m-azure-deployment/chat/completions", "api-key", "sk-up-azure-openai");

    final String type;
    final String path;
    final String authHeader;
    final String authValue;

    Upstreams(String type, String path, String authHeader, String authValue) {
      this.type = type;
      this.path = path;
      this.authHeader = authHeader;
      this.authValue = authValue;
    }

    String model() {
      return "m-" + type;
    }
  }

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    mock = MockUpstream.start(vertx).await();
    var builder = TestGateway.builder(vertx).clientKey("client", KEY).routing("retries", 0);
    for (Upstreams u : Upstreams.values()) {
      String base = switch (u) {
        case GEMINI -> mock.geminiBaseUrl();
        case AZURE -> mock.azureBaseUrl();
        default -> mock.baseUrl();
      };
      JsonObject channel = TestGateway.channel("ch-" + u.type, base, u.model()).put("type", u.type)
          .put("keys", new JsonArray().add("sk-up-" + u.type));
      if (u == Upstreams.AZURE) channel.put("modelMap", new JsonObject().put(u.model(), "m-azure-deployment"));
      builder.channel(channel);
    }
    gateway = builder.start();
  }

  @AfterAll
  void stop() {
    gateway.close();
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    mock.reset();
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Clients c : Clients.values()) {
      for (Upstreams u : Upstreams.values()) {
        cells.add(Arguments.of(c, u, false));
        cells.add(Arguments.of(c, u, true));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} client -> {1} upstream, stream={2}")
  @MethodSource("cells")
  void textUsageAndAuthSurviveEveryPair(Clients client, Upstreams upstream, boolean stream) {
    mock.enqueue(Behavior.ok().content(TEXT).chunks(5).usage(40, 12, 8, 0));
    long before = gateway.awaitUsageCount(-1);
    Reply reply = gateway.send(HttpMethod.POST, client.path(upstream.model(), stream), null,
        client.body(upstream.model(), stream).toBuffer(), client.headers(KEY)).await();

    assertEquals(200, reply.status(), reply.text());
    String text = stream ? client.streamedText(reply.text()) : client.text(reply.json());
    assertEquals(TEXT, text, reply.text());

    RecordedRequest seen = mock.requests().get(0);
    if (upstream.path != null) assertEquals(upstream.path, seen.path());
    else assertEquals("/v1beta/models/" + upstream.model() + (stream ? ":streamGenerateContent" : ":generateContent"), seen.path());
    assertEquals(upstream.authValue, seen.header(upstream.authHeader), "the channel's credential, where its vendor looks");
    assertTrue(seen.header("authorization") == null || upstream.authHeader.equals("authorization"),
        "no client key travels on: " + seen.headers());

    long count = gateway.awaitUsageCount(before + 1);
    Map<String, Object> row = gateway.query("SELECT * FROM usage_records ORDER BY id DESC").get(0);
    assertEquals(200, ((Number) row.get("status")).intValue());
    assertEquals(40L, ((Number) row.get("input_tokens")).longValue(), "row " + count + ": " + row);
    assertEquals(12L, ((Number) row.get("output_tokens")).longValue(), "row " + count + ": " + row);
    assertEquals(8L, ((Number) row.get("cached_tokens")).longValue(), "row " + count + ": " + row);
  }
}
