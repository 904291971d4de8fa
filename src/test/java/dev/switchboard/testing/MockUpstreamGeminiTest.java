package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Gemini routes of {@link MockUpstream}, as {@code gemini.md} says. */
@ExtendWith(VertxExtension.class)
class MockUpstreamGeminiTest {

  private static final String[] KEY = {"x-goog-api-key", "g-key"};
  private static final String MODEL_PATH = "/v1beta/models/gemini-test";

  private MockUpstream mock;
  private WireCalls calls;

  @BeforeEach
  void start(Vertx vertx) {
    mock = WireCalls.await(MockUpstream.start(vertx));
    calls = new WireCalls(vertx, mock);
  }

  @AfterEach
  void stop() {
    WireCalls.await(mock.close());
  }

  @Test
  void generateContentCarriesOneCandidateAndUsageMetadata() {
    mock.enqueue(Behavior.ok().usage(10, 5, 4, 2));
    JsonObject json = calls.generate(Protocol.GEMINI, false).json();
    JsonObject candidate = json.getJsonArray("candidates").getJsonObject(0);
    assertEquals("model", candidate.getJsonObject("content").getString("role"));
    assertEquals(new JsonArray().add(new JsonObject().put("text", Behavior.DEFAULT_CONTENT)),
        candidate.getJsonObject("content").getJsonArray("parts"));
    assertEquals("STOP", candidate.getString("finishReason"));
    assertEquals(new JsonObject().put("promptTokenCount", 10).put("cachedContentTokenCount", 4)
        .put("candidatesTokenCount", 3).put("thoughtsTokenCount", 2).put("totalTokenCount", 15),
        json.getJsonObject("usageMetadata"));
    assertEquals("gemini-test", json.getString("modelVersion"));
    assertTrue(json.containsKey("responseId"));

    RecordedRequest recorded = mock.requests().get(0);
    assertEquals(Protocol.GEMINI, recorded.protocol());
    assertEquals("gemini-test", recorded.pathModel());
    assertEquals("g-key", recorded.header("x-goog-api-key"));
    assertFalse(recorded.streamed());
  }

  @Test
  void sseStreamIsDataEventsOnlyWithTheFinishAndFinalUsageOnTheLastChunk() {
    mock.enqueue(Behavior.ok().content("one two three").usage(10, 5, 0, 0));
    WireCalls.Reply reply = calls.generate(Protocol.GEMINI, true);
    assertEquals("text/event-stream", reply.headers().get("content-type"));
    assertTrue(reply.body().contains("\r\n\r\n"), "Gemini frames with CRLF");
    List<Sse.Event> events = reply.events();
    events.forEach(e -> assertNull(e.name(), "no event: lines"));
    assertEquals(List.of("one", " two", " three"), WireCalls.streamedText(Protocol.GEMINI, events));
    for (int i = 0; i < events.size() - 1; i++) {
      JsonObject chunk = events.get(i).json();
      assertFalse(chunk.getJsonArray("candidates").getJsonObject(0).containsKey("finishReason"));
      assertFalse(chunk.getJsonObject("usageMetadata").containsKey("candidatesTokenCount"));
    }
    JsonObject last = events.get(events.size() - 1).json();
    assertEquals("STOP",
        last.getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
    assertEquals(15, last.getJsonObject("usageMetadata").getInteger("totalTokenCount"));
    assertTrue(mock.requests().get(0).streamed());
    assertEquals("sse", mock.requests().get(0).queryParam("alt"));
  }

  @Test
  void streamWithoutAltSseIsOneJsonArrayOfTheSameChunks() {
    mock.enqueue(Behavior.ok().content("one two"));
    WireCalls.Reply reply = calls.post(MODEL_PATH + ":streamGenerateContent",
        WireCalls.body(Protocol.GEMINI, true), KEY);
    assertEquals(200, reply.status());
    assertEquals("application/json", reply.headers().get("content-type"));
    JsonArray chunks = new JsonArray(reply.body());
    assertEquals(3, chunks.size(), "two text chunks and the finish chunk");
    assertEquals(List.of("one"), WireCalls.geminiText(chunks.getJsonObject(0)));
    assertEquals("STOP", chunks.getJsonObject(2).getJsonArray("candidates").getJsonObject(0)
        .getString("finishReason"));
  }

  @Test
  void toolCallsAreFunctionCallPartsAfterThoughtsAndOnlyTheFirstIsSigned() {
    mock.enqueue(Behavior.ok().thinking("Need weather.")
        .toolCall("get_weather", "{\"city\":\"Oslo\"}").toolCall("get_time", "{\"tz\":\"CET\"}"));
    JsonObject candidate = calls.generate(Protocol.GEMINI, false).json()
        .getJsonArray("candidates").getJsonObject(0);
    JsonArray parts = candidate.getJsonObject("content").getJsonArray("parts");
    assertEquals(3, parts.size(), parts.encode());
    assertEquals(new JsonObject().put("text", "Need weather.").put("thought", true),
        parts.getJsonObject(0));
    JsonObject first = parts.getJsonObject(1);
    assertEquals(new JsonObject().put("name", "get_weather")
        .put("args", new JsonObject().put("city", "Oslo")), first.getJsonObject("functionCall"));
    assertFalse(first.getString("thoughtSignature").isEmpty());
    assertFalse(parts.getJsonObject(2).containsKey("thoughtSignature"));
    assertEquals("STOP", candidate.getString("finishReason"), "Gemini has no tool finish reason");
  }

  @Test
  void streamedThinkingIsThoughtPartsThenASignedTextPart() {
    mock.enqueue(Behavior.ok().thinking("Think first.").content("Answer."));
    List<Sse.Event> events = calls.generate(Protocol.GEMINI, true).events();
    JsonArray firstParts = parts(events.get(0).json());
    assertEquals(true, firstParts.getJsonObject(0).getBoolean("thought"));
    assertEquals("Think", firstParts.getJsonObject(0).getString("text"));
    JsonObject answer = parts(events.get(2).json()).getJsonObject(0);
    assertEquals("Answer.", answer.getString("text"));
    assertFalse(answer.getString("thoughtSignature").isEmpty());
  }

  @Test
  void streamedFunctionCallsArriveWholeOnePerChunk() {
    mock.enqueue(Behavior.ok().toolCall("a", "{\"x\":1}").toolCall("b", "{}"));
    List<Sse.Event> events = calls.generate(Protocol.GEMINI, true).events();
    assertEquals(3, events.size());
    assertEquals(new JsonObject().put("x", 1),
        parts(events.get(0).json()).getJsonObject(0).getJsonObject("functionCall")
            .getJsonObject("args"));
    assertEquals("b", parts(events.get(1).json()).getJsonObject(0)
        .getJsonObject("functionCall").getString("name"));
  }

  @Test
  void errorsAreGoogleRpcStatusesWithRetryInfoOn429() {
    mock.enqueue(Behavior.rateLimited(22), Behavior.status(503));
    JsonObject limited = calls.generate(Protocol.GEMINI, false).json().getJsonObject("error");
    assertEquals(429, limited.getInteger("code"));
    assertEquals("RESOURCE_EXHAUSTED", limited.getString("status"));
    JsonObject retryInfo = limited.getJsonArray("details").getJsonObject(0);
    assertEquals("type.googleapis.com/google.rpc.RetryInfo", retryInfo.getString("@type"));
    assertEquals("22s", retryInfo.getString("retryDelay"));
    WireCalls.Reply unavailable = calls.generate(Protocol.GEMINI, true);
    assertEquals(503, unavailable.status());
    assertEquals("UNAVAILABLE", unavailable.json().getJsonObject("error").getString("status"));
  }

  @Test
  void midStreamFailureIsAnErrorObjectAsTheLastDataEvent() {
    mock.enqueue(Behavior.ok().failAfter(1, 500));
    List<Sse.Event> events = calls.generate(Protocol.GEMINI, true).events();
    assertEquals(2, events.size());
    assertEquals("INTERNAL", events.get(1).json().getJsonObject("error").getString("status"));
  }

  @Test
  void countTokensEmbedAndBatchEmbed() {
    JsonObject count = calls.post(MODEL_PATH + ":countTokens",
        WireCalls.body(Protocol.GEMINI, false), KEY).json();
    assertTrue(count.getInteger("totalTokens") > 0);
    JsonObject content = new JsonObject().put("parts",
        new JsonArray().add(new JsonObject().put("text", "hello")));
    JsonObject embedded = calls.post("/v1beta/models/embed-test:embedContent",
        new JsonObject().put("content", content), KEY).json();
    assertEquals(8, embedded.getJsonObject("embedding").getJsonArray("values").size());
    JsonObject batch = calls.post("/v1beta/models/embed-test:batchEmbedContents",
        new JsonObject().put("requests", new JsonArray()
            .add(new JsonObject().put("model", "models/embed-test").put("content", content))
            .add(new JsonObject().put("model", "models/embed-test").put("content", content))),
        KEY).json();
    JsonArray embeddings = batch.getJsonArray("embeddings");
    assertEquals(2, embeddings.size());
    assertEquals(embedded.getJsonObject("embedding"), embeddings.getJsonObject(0));
    assertEquals("embed-test", mock.requests().get(2).pathModel());
  }

  @Test
  void modelsListNamesModelsWithThePrefix() {
    JsonObject model = calls.get("/v1beta/models", KEY).json().getJsonArray("models")
        .getJsonObject(0);
    assertEquals("models/mock-model", model.getString("name"));
    assertTrue(model.getJsonArray("supportedGenerationMethods").contains("generateContent"));
  }

  private static JsonArray parts(JsonObject chunk) {
    return chunk.getJsonArray("candidates").getJsonObject(0).getJsonObject("content")
        .getJsonArray("parts");
  }
}
