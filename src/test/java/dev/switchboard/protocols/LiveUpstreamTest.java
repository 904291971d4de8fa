package dev.switchboard.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol matrix against the real vendors, for each vendor whose key is in the
 * environment: {@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code GEMINI_API_KEY}
 * (models: {@code SWITCHBOARD_LIVE_OPENAI_MODEL}, ... or small defaults). Every client protocol,
 * whole and streamed. Without a key the vendor's cells are skipped, and say why.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveUpstreamTest {

  private static final String KEY = "sk-client-live-000000000000000001";

  enum Vendor {
    OPENAI("openai", "OPENAI_API_KEY", "gpt-4o-mini"),
    ANTHROPIC("anthropic", "ANTHROPIC_API_KEY", "claude-haiku-4-5"),
    GEMINI("gemini", "GEMINI_API_KEY", "gemini-2.5-flash");

    final String type;
    final String keyVariable;
    final String defaultModel;

    Vendor(String type, String keyVariable, String defaultModel) {
      this.type = type;
      this.keyVariable = keyVariable;
      this.defaultModel = defaultModel;
    }

    String key() {
      String k = System.getenv(keyVariable);
      return k == null || k.isBlank() ? null : k;
    }

    String model() {
      String m = System.getenv("SWITCHBOARD_LIVE_" + name() + "_MODEL");
      return m == null || m.isBlank() ? defaultModel : m;
    }
  }

  private Vertx vertx;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    List<Vendor> missing = new ArrayList<>();
    var builder = TestGateway.builder(vertx = Vertx.vertx()).clientKey("client", KEY).routing("retries", 1);
    for (Vendor v : Vendor.values()) {
      if (v.key() == null) {
        missing.add(v);
        continue;
      }
      builder.channel(new JsonObject().put("name", "live-" + v.type).put("type", v.type)
          .put("keys", new JsonArray().add(v.key())).put("models", new JsonArray().add(v.model())));
    }
    if (!missing.isEmpty()) {
      System.err.println("LIVE UPSTREAM CONFORMANCE SKIPPED for " + missing
          + ": set " + missing.stream().map(v -> v.keyVariable).toList() + " to run it against the real APIs");
    }
    gateway = missing.size() == Vendor.values().length ? null : builder.start();
  }

  @AfterAll
  void stop() {
    if (gateway != null) gateway.close();
    vertx.close().await();
  }

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Vendor v : Vendor.values()) {
      for (Clients c : Clients.values()) {
        cells.add(Arguments.of(c, v, false));
        cells.add(Arguments.of(c, v, true));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} client -> live {1}, stream={2}")
  @MethodSource("cells")
  void aRealVendorAnswersEveryClientProtocol(Clients client, Vendor vendor, boolean stream) {
    assumeTrue(vendor.key() != null, "no " + vendor.keyVariable + " in the environment: live " + vendor + " skipped");
    JsonObject body = client.body(vendor.model(), stream);
    Reply reply = gateway.send(HttpMethod.POST, client.path(vendor.model(), stream), null, body.toBuffer(),
        client.headers(KEY)).await();
    assertEquals(200, reply.status(), reply.text());
    String text = stream ? client.streamedText(reply.text()) : client.text(reply.json());
    assertFalse(text.isBlank(), reply.text());
    long records = gateway.awaitUsageCount(1);
    Map<String, Object> row = gateway.query("SELECT * FROM usage_records ORDER BY id DESC").get(0);
    assertTrue(((Number) row.get("input_tokens")).longValue() > 0, "row " + records + ": " + row);
    assertTrue(((Number) row.get("output_tokens")).longValue() > 0, "row " + records + ": " + row);
  }
}
