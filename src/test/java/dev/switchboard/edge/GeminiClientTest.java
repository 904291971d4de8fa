package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gemini's surface over real sockets: keys in {@code x-goog-api-key} or {@code ?key=}, the
 * JSON-array stream, token counting, embeddings both ways, Google's error envelope.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GeminiClientTest {

  private static final String FLASH = "gemini-2.5-flash";
  private static final String EMBED = "gemini-embedding-001";
  private static final String OPENAI_EMBED = "text-embedding-3-small";
  private static final String TEXT = "Gemini streams without a terminal event";

  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("gemini", mock.geminiBaseUrl(), FLASH, EMBED).put("type", "gemini")
            .put("keys", new JsonArray().add("AIza-upstream")))
        .channel(TestGateway.channel("openai", mock.baseUrl(), OPENAI_EMBED).put("keys", new JsonArray().add("sk-up")))
        .clientKey("client", CLIENT_KEY)
        .routing("retries", 0)
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private Reply post(String path, JsonObject body) {
    return gateway.send(HttpMethod.POST, path, null, body.toBuffer(),
        MultiMap.caseInsensitiveMultiMap().add("x-goog-api-key", CLIENT_KEY)).await();
  }

  private static JsonObject userTurn(String text) {
    return new JsonObject().put("contents", new JsonArray().add(new JsonObject().put("role", "user")
        .put("parts", new JsonArray().add(new JsonObject().put("text", text)))));
  }

  private static String text(JsonObject chunk) {
    StringBuilder sb = new StringBuilder();
    for (Object p : chunk.getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts")) {
      sb.append(((JsonObject) p).getString("text", ""));
    }
    return sb.toString();
  }

  @Test
  void aStreamAskedForWithoutAltSseIsOneJsonArrayOfTheUpstreamsChunks() {
    mock.enqueue(Behavior.ok().content(TEXT).chunks(4).usage(9, 5, 0, 0));
    Reply reply = post("/v1beta/models/" + FLASH + ":streamGenerateContent", userTurn("Hi"));

    assertEquals(200, reply.status(), reply.text());
    assertTrue(reply.header("content-type").startsWith("application/json"), reply.header("content-type"));
    JsonArray chunks = new JsonArray(reply.text());
    assertTrue(chunks.size() >= 2, reply.text());
    StringBuilder all = new StringBuilder();
    chunks.forEach(c -> all.append(text((JsonObject) c)));
    assertEquals(TEXT, all.toString());
    assertEquals("STOP", chunks.getJsonObject(chunks.size() - 1).getJsonArray("candidates").getJsonObject(0).getString("finishReason"));

    RecordedRequest seen = mock.requests().get(0);
    assertEquals("/v1beta/models/" + FLASH + ":streamGenerateContent", seen.path());
    assertEquals("sse", seen.queryParam("alt"), "the gateway always streams from Gemini as SSE");
    assertEquals("AIza-upstream", seen.header("x-goog-api-key"));
    assertEquals(1, gateway.awaitUsageCount(1));
    assertEquals(9L, ((Number) gateway.query("SELECT input_tokens FROM usage_records").get(0).get("input_tokens")).longValue());
  }

  @Test
  void theKeyMayComeAsAQueryParameterAndNeverTravelsOn() {
    mock.enqueue(Behavior.ok().content(TEXT));
    Reply reply = gateway.send(HttpMethod.POST, "/v1beta/models/" + FLASH + ":generateContent?key=" + CLIENT_KEY, null,
        userTurn("Hi").toBuffer(), null).await();
    assertEquals(200, reply.status(), reply.text());
    assertEquals(TEXT, text(reply.json()));
    RecordedRequest seen = mock.requests().get(0);
    assertNull(seen.queryParam("key"));
    assertFalse(seen.headers().toString().contains(CLIENT_KEY));
  }

  @Test
  void failuresUseGooglesEnvelope() {
    Reply missing = gateway.send(HttpMethod.POST, "/v1beta/models/" + FLASH + ":generateContent", null,
        userTurn("Hi").toBuffer(), null).await();
    assertEquals(401, missing.status());
    assertEquals("UNAUTHENTICATED", missing.json().getJsonObject("error").getString("status"));
    assertEquals(401, missing.json().getJsonObject("error").getInteger("code"));

    Reply unknown = post("/v1beta/models/nope:generateContent", userTurn("Hi"));
    assertEquals(404, unknown.status());
    assertEquals("NOT_FOUND", unknown.json().getJsonObject("error").getString("status"));

    Reply malformed = gateway.send(HttpMethod.POST, "/v1beta/models/" + FLASH + ":generateContent", null,
        Buffer.buffer("[1,2"), MultiMap.caseInsensitiveMultiMap().add("x-goog-api-key", CLIENT_KEY)).await();
    assertEquals(400, malformed.status());
    assertEquals("INVALID_ARGUMENT", malformed.json().getJsonObject("error").getString("status"));

    mock.enqueue(Behavior.rateLimited(12));
    Reply limited = post("/v1beta/models/" + FLASH + ":generateContent", userTurn("Hi"));
    assertEquals(429, limited.status());
    assertEquals("RESOURCE_EXHAUSTED", limited.json().getJsonObject("error").getString("status"));
    assertEquals("12", limited.header("retry-after"), "Gemini's RetryInfo in the body becomes retry-after");
  }

  @Test
  void geminisInvalidKeyFourHundredIsTheGatewaysCredentialFailingNotTheClient() {
    mock.enqueue(Behavior.ok().requireHeader("x-goog-api-key", "some-other-key"));
    Reply reply = post("/v1beta/models/" + FLASH + ":generateContent", userTurn("Hi"));
    assertEquals(502, reply.status(), reply.text());
    assertTrue(reply.json().getJsonObject("error").getString("message").contains("credentials"), reply.text());
    // the credential is benched like any other that failed authentication
    Reply next = post("/v1beta/models/" + FLASH + ":generateContent", userTurn("Hi"));
    assertEquals(503, next.status(), next.text());
    assertEquals(1, mock.requestCount());
  }

  @Test
  void aCutJsonArrayStreamStillEndsAsValidJsonWithAnErrorElement() {
    mock.enqueue(Behavior.ok().content(TEXT).chunks(6).dropAfter(2));
    Reply reply = post("/v1beta/models/" + FLASH + ":streamGenerateContent", userTurn("Hi"));
    assertEquals(200, reply.status());
    JsonArray chunks = new JsonArray(reply.text());
    JsonObject last = chunks.getJsonObject(chunks.size() - 1);
    assertNotNull(last.getJsonObject("error"), reply.text());
    assertEquals(502, last.getJsonObject("error").getInteger("code"));
  }

  @Test
  void countTokensIsTheUpstreamsOnAGeminiChannel() {
    Reply reply = post("/v1beta/models/" + FLASH + ":countTokens", userTurn("How many tokens is this?"));
    assertEquals(200, reply.status(), reply.text());
    assertEquals("upstream", reply.header("x-switchboard-token-count"));
    assertTrue(reply.json().getInteger("totalTokens") > 0);
    assertEquals("/v1beta/models/" + FLASH + ":countTokens", mock.requests().get(0).path());
  }

  @Test
  void geminiEmbeddingsPassThroughAndOpenAiOnesAreTranslated() {
    JsonObject one = new JsonObject().put("content", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", "a"))));
    Reply direct = post("/v1beta/models/" + EMBED + ":embedContent", one);
    assertEquals(200, direct.status(), direct.text());
    assertEquals(8, direct.json().getJsonObject("embedding").getJsonArray("values").size());
    assertEquals("/v1beta/models/" + EMBED + ":embedContent", mock.requests().get(0).path());

    // an OpenAI client asking for Gemini's model: the batch form, answered in OpenAI's list shape
    Reply openAi = gateway.post("/v1/embeddings", CLIENT_KEY,
        new JsonObject().put("model", EMBED).put("input", new JsonArray().add("one").add("two"))).await();
    assertEquals(200, openAi.status(), openAi.text());
    JsonArray data = openAi.json().getJsonArray("data");
    assertEquals(2, data.size());
    assertEquals(1, data.getJsonObject(1).getInteger("index"));
    assertEquals(8, data.getJsonObject(0).getJsonArray("embedding").size());
    RecordedRequest batch = mock.requests().get(1);
    assertEquals("/v1beta/models/" + EMBED + ":batchEmbedContents", batch.path());
    assertEquals("models/" + EMBED, batch.body().getJsonArray("requests").getJsonObject(0).getString("model"));

    // base64 as the OpenAI SDKs ask for it by default: little-endian float32
    Reply b64 = gateway.post("/v1/embeddings", CLIENT_KEY,
        new JsonObject().put("model", EMBED).put("input", "one").put("encoding_format", "base64")).await();
    String encoded = b64.json().getJsonArray("data").getJsonObject(0).getString("embedding");
    ByteBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(32, floats.remaining());
    assertEquals(data.getJsonObject(0).getJsonArray("embedding").getDouble(0).floatValue(), floats.getFloat(0), 1e-6);

    // and a Gemini client asking for an OpenAI model: translated to /embeddings and back
    JsonObject batchRequest = new JsonObject().put("requests", new JsonArray()
        .add(new JsonObject().put("model", "models/" + OPENAI_EMBED).put("content", one.getJsonObject("content")))
        .add(new JsonObject().put("model", "models/" + OPENAI_EMBED).put("content", one.getJsonObject("content"))));
    Reply fromGemini = post("/v1beta/models/" + OPENAI_EMBED + ":batchEmbedContents", batchRequest);
    assertEquals(200, fromGemini.status(), fromGemini.text());
    assertEquals(2, fromGemini.json().getJsonArray("embeddings").size());
    RecordedRequest toOpenAi = mock.requests().get(3);
    assertEquals("/v1/embeddings", toOpenAi.path());
    assertEquals(new JsonArray().add("a").add("a"), toOpenAi.body().getJsonArray("input"));
    assertEquals("Bearer sk-up", toOpenAi.header("authorization"));
  }

  @Test
  void theModelListHasGeminisShape() {
    Reply list = gateway.send(HttpMethod.GET, "/v1beta/models", null, null,
        MultiMap.caseInsensitiveMultiMap().add("x-goog-api-key", CLIENT_KEY)).await();
    assertEquals(200, list.status());
    JsonArray models = list.json().getJsonArray("models");
    assertTrue(models.stream().anyMatch(m -> ("models/" + FLASH).equals(((JsonObject) m).getString("name"))), list.text());
    Reply one = gateway.send(HttpMethod.GET, "/v1beta/models/" + FLASH, null, null,
        MultiMap.caseInsensitiveMultiMap().add("x-goog-api-key", CLIENT_KEY)).await();
    assertEquals("models/" + FLASH, one.json().getString("name"));
  }
}
