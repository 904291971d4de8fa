package dev.switchboard.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random and malformed bodies at every client endpoint, in front of upstreams of another
 * protocol (so the translators see them too): never a 500, never a hang, and every refusal
 * is a 4xx in the client protocol's own envelope. Valid-looking mutations may succeed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointFuzzTest {

  private static final String KEY = "sk-client-fuzz-00000000000000001";
  private static final int CASES = 150;

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    mock = MockUpstream.start(vertx).await();
    // every model lives on a channel of another protocol than most clients: translation is exercised
    gateway = TestGateway.builder(vertx).clientKey("client", KEY).routing("retries", 0)
        .channel(TestGateway.channel("anthropic", mock.baseUrl(), "m").put("type", "anthropic"))
        .channel(TestGateway.channel("gemini", mock.geminiBaseUrl(), "g").put("type", "gemini"))
        .start();
  }

  @AfterAll
  void stop() {
    gateway.close();
    vertx.close().await();
  }

  /** Mutations of a valid body: bytes cut, flipped or inserted; fields retyped; structure broken. */
  private static List<Buffer> mutations(JsonObject valid, long seed) {
    Random random = new Random(seed);
    List<Buffer> out = new ArrayList<>();
    byte[] bytes = valid.encode().getBytes(StandardCharsets.UTF_8);
    Object[] junk = {null, 0, -1, 1.5e308, "", "x", true, new JsonArray(), new JsonObject(), new JsonArray().add((Object) null),
        new JsonObject().put("type", "image"), new JsonArray().add(new JsonObject().put("role", 7))};
    for (int i = 0; i < CASES; i++) {
      switch (i % 5) {
        case 0 -> out.add(Buffer.buffer().appendBytes(bytes, 0, random.nextInt(bytes.length)));
        case 1 -> {
          byte[] copy = bytes.clone();
          for (int k = 0; k < 3; k++) copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
          out.add(Buffer.buffer(copy));
        }
        case 2 -> {
          JsonObject retyped = valid.copy();
          List<String> keys = new ArrayList<>(retyped.fieldNames());
          retyped.put(keys.get(random.nextInt(keys.size())), junk[random.nextInt(junk.length)]);
          out.add(retyped.toBuffer());
        }
        case 3 -> out.add(Buffer.buffer(deepen(valid.copy(), random, junk).encode()));
        default -> out.add(Buffer.buffer(new String[] {"", "null", "[]", "\"s\"", "{", "{}", "{\"model\":null}", "\u0000",
            "{\"model\":\"m\",\"model\":\"m\"}"}[random.nextInt(9)]));
      }
    }
    return out;
  }

  /** Replaces one nested value somewhere inside with junk. */
  private static JsonObject deepen(JsonObject body, Random random, Object[] junk) {
    Object node = body;
    for (int depth = 0; depth < 6; depth++) {
      if (node instanceof JsonObject o && !o.isEmpty()) {
        List<String> keys = new ArrayList<>(o.fieldNames());
        String k = keys.get(random.nextInt(keys.size()));
        Object child = o.getValue(k);
        if (!(child instanceof JsonObject || child instanceof JsonArray) || random.nextInt(3) == 0) {
          o.put(k, junk[random.nextInt(junk.length)]);
          return body;
        }
        node = child;
      } else if (node instanceof JsonArray a && !a.isEmpty()) {
        int i = random.nextInt(a.size());
        Object child = a.getValue(i);
        if (!(child instanceof JsonObject || child instanceof JsonArray) || random.nextInt(3) == 0) {
          a.set(i, junk[random.nextInt(junk.length)]);
          return body;
        }
        node = child;
      } else {
        return body;
      }
    }
    return body;
  }

  @ParameterizedTest
  @EnumSource(Clients.class)
  void badInputIsAClearFourHundredInTheClientsOwnEnvelope(Clients client) {
    String model = client == Clients.GEMINI ? "m" : "g";
    JsonObject valid = client.body(model, false);
    if (client == Clients.CHAT || client == Clients.MESSAGES) {
      valid.put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("name", "f")
          .put("function", new JsonObject().put("name", "f").put("parameters", new JsonObject().put("type", "object")))));
    }
    int refused = 0;
    int served = 0;
    long seed = client.ordinal() * 1_000L;
    for (Buffer body : mutations(valid, seed)) {
      Reply reply = gateway.send(HttpMethod.POST, client.path(model, false), null, body, client.headers(KEY)).await();
      String context = client + " " + body.toString(StandardCharsets.UTF_8) + " -> " + reply.status() + " " + reply.text();
      assertTrue(reply.status() < 500, context);
      if (reply.status() == 200) {
        served++;
        continue;
      }
      refused++;
      assertTrue(reply.status() >= 400, context);
      JsonObject error = reply.json();
      switch (client) {
        case MESSAGES -> {
          assertEquals("error", error.getString("type"), context);
          assertNotNull(error.getJsonObject("error").getString("message"), context);
        }
        case GEMINI -> assertEquals(reply.status(), error.getJsonObject("error").getInteger("code"), context);
        default -> assertNotNull(error.getJsonObject("error").getString("message"), context);
      }
      assertTrue(!reply.text().contains("Exception") && !reply.text().contains("\tat "), "no stack trace: " + context);
    }
    assertTrue(refused > CASES / 3, client + ": most mutations are refused (" + refused + " refused, " + served + " served)");
  }
}
