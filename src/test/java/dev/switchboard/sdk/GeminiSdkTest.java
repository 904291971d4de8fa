package dev.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ClientException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.FinishReason;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Model;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import com.google.genai.types.Type;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official Google Gen AI Java SDK (google-genai) against the gateway's Gemini edge, with
 * every upstream type behind it. {@code HttpOptions.baseUrl} takes the gateway root; the SDK
 * adds {@code /v1beta/models/{m}:method} (its default API version) and sends the key as
 * {@code x-goog-api-key}; streaming asks for {@code :streamGenerateContent?alt=sse}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeminiSdkTest extends SdkAgainstGateway<Client> {

  private static final String KEY = "sk-client-gemini-sdk-0000000000001";
  private static final String TEXT = "Gemini-shaped words from whichever upstream";

  GeminiSdkTest() {
    super(KEY, Client::close);
  }

  @Override
  Client sdk(String key) {
    return Client.builder()
        .apiKey(key)
        .vertexAI(false)
        .httpOptions(HttpOptions.builder()
            .baseUrl(gateway.baseUrl())
            .timeout(20_000)
            .retryOptions(HttpRetryOptions.builder().attempts(1).build())
            .build())
        .build();
  }

  private static void assertUsage(GenerateContentResponseUsageMetadata usage) {
    // Mock usage in OpenAI terms: prompt 40 (8 of them cached), completion 12.
    assertEquals(40, usage.promptTokenCount().orElse(-1), "promptTokenCount: " + usage);
    assertEquals(12, usage.candidatesTokenCount().orElse(-1), "candidatesTokenCount: " + usage);
    assertEquals(8, usage.cachedContentTokenCount().orElse(-1), "cachedContentTokenCount: " + usage);
    assertEquals(52, usage.totalTokenCount().orElse(-1), "totalTokenCount: " + usage);
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void plainGenerateContent(Upstream u, boolean withCost) {
    Client client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).usage(40, 12, 8, 0));
    GenerateContentResponse r = client.models.generateContent(u.model(), "Hi", null);

    assertEquals(TEXT, r.text());
    assertEquals(FinishReason.Known.STOP, r.finishReason().knownEnum());
    assertUsage(r.usageMetadata().orElseThrow());
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void streamedGenerateContent(Upstream u, boolean withCost) {
    Client client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).chunks(5).usage(40, 12, 8, 0));
    StringBuilder text = new StringBuilder();
    GenerateContentResponse last = null;
    int chunks = 0;
    try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(u.model(), "Hi", null)) {
      for (GenerateContentResponse chunk : stream) {
        chunks++;
        String piece = chunk.text();
        if (piece != null) text.append(piece);
        last = chunk;
      }
    }

    assertEquals(TEXT, text.toString());
    assertTrue(chunks > 1, "streamed in more than one chunk: " + chunks);
    assertNotNull(last);
    assertEquals(FinishReason.Known.STOP, last.finishReason().knownEnum());
    assertUsage(last.usageMetadata().orElseThrow());
  }

  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @MethodSource("toolCells")
  void functionCallRoundTrip(Upstream u, boolean stream) {
    mock.enqueue(Behavior.ok().toolCall(Upstream.TOOL, Upstream.TOOL_ARGS_JSON), Behavior.ok().content("It is sunny in Oslo"));
    GenerateContentConfig config = GenerateContentConfig.builder()
        .tools(Tool.builder().functionDeclarations(FunctionDeclaration.builder()
            .name(Upstream.TOOL).description("Current weather in a city")
            .parameters(Schema.builder().type(Type.Known.OBJECT)
                .properties(Map.of("city", Schema.builder().type(Type.Known.STRING).build()))
                .required("city"))))
        .build();
    Content question = Content.builder().role("user").parts(Part.fromText("What is the weather in Oslo?")).build();

    Content modelTurn;
    List<FunctionCall> calls = new ArrayList<>();
    if (stream) {
      List<Part> parts = new ArrayList<>();
      try (ResponseStream<GenerateContentResponse> s = client.models.generateContentStream(u.model(), List.of(question), config)) {
        for (GenerateContentResponse chunk : s) {
          calls.addAll(chunk.functionCalls() == null ? List.of() : chunk.functionCalls());
          chunk.candidates().flatMap(c -> c.isEmpty() ? java.util.Optional.empty() : c.get(0).content())
              .flatMap(Content::parts).ifPresent(parts::addAll);
        }
      }
      modelTurn = Content.builder().role("model").parts(parts).build();
    } else {
      GenerateContentResponse first = client.models.generateContent(u.model(), List.of(question), config);
      calls.addAll(first.functionCalls() == null ? List.of() : first.functionCalls());
      modelTurn = first.candidates().orElseThrow().get(0).content().orElseThrow();
    }

    assertEquals(1, calls.size(), "function calls: " + calls);
    FunctionCall call = calls.get(0);
    assertEquals(Upstream.TOOL, call.name().orElseThrow());
    assertEquals(Map.of("city", "Oslo"), call.args().orElseThrow());
    if (u != Upstream.GEMINI) {
      // The upstream named its call; the Gemini client must get that id to send it back.
      assertTrue(call.id().isPresent(), "the upstream's call id reaches the Gemini client: " + call);
    }

    FunctionResponse.Builder result = FunctionResponse.builder().name(Upstream.TOOL)
        .response(Map.of("result", Upstream.TOOL_RESULT));
    call.id().ifPresent(result::id);
    Content resultTurn = Content.builder().role("user").parts(Part.builder().functionResponse(result.build()).build()).build();
    GenerateContentResponse done = client.models.generateContent(u.model(), List.of(question, modelTurn, resultTurn), config);

    assertEquals("It is sunny in Oslo", done.text());
    assertEquals(2, mock.requests().size());
    RecordedRequest seen = mock.requests().get(1);
    u.assertToolRoundTrip(seen, u == Upstream.GEMINI ? null : call.id().orElse(null));
  }

  @ParameterizedTest(name = "{0} upstream")
  @EnumSource(Upstream.class)
  void countTokens(Upstream u) {
    CountTokensResponse r = client.models.countTokens(u.model(), "How many tokens are in this sentence?", null);
    assertTrue(r.totalTokens().orElse(0) > 0, "totalTokens: " + r);
  }

  @ParameterizedTest(name = "{0} upstream")
  @EnumSource(Upstream.class)
  void embedContent(Upstream u) {
    if (u == Upstream.ANTHROPIC) {
      // Anthropic has no embeddings: a clear client error, not a 5xx the SDK would retry
      ClientException e = assertThrows(ClientException.class,
          () -> client.models.embedContent(u.model(), "Embed this sentence", null));
      assertEquals(400, e.code(), e.getMessage());
      assertTrue(e.getMessage().contains("embed"), e.getMessage());
      return;
    }
    EmbedContentResponse r = client.models.embedContent(u.model(), "Embed this sentence", null);
    List<Float> values = r.embeddings().orElseThrow().get(0).values().orElseThrow();
    assertFalse(values.isEmpty(), "embedding values: " + r);
  }

  /**
   * What the SDK puts on the wire, seen by pointing it straight at the mock: the base URL is a
   * plain {@code http://127.0.0.1:port} root, {@code /v1beta} is the SDK's default API version,
   * the key travels as {@code x-goog-api-key} (never {@code Authorization}), streaming asks for
   * {@code alt=sse}, and with {@code attempts(1)} a 503 is not retried.
   */
  @Test
  void theSdkSpeaksTheGeminiWire() {
    try (Client direct = Client.builder().apiKey("sk-direct").vertexAI(false)
        .httpOptions(HttpOptions.builder().baseUrl(mock.root()).timeout(20_000)
            .retryOptions(HttpRetryOptions.builder().attempts(1).build()).build())
        .build()) {
      mock.enqueue(Behavior.ok().content(TEXT).chunks(3));
      StringBuilder text = new StringBuilder();
      try (ResponseStream<GenerateContentResponse> s = direct.models.generateContentStream("m-direct", "Hi", null)) {
        for (GenerateContentResponse chunk : s) text.append(chunk.text() == null ? "" : chunk.text());
      }
      assertEquals(TEXT, text.toString());
      RecordedRequest r = mock.requests().get(0);
      assertEquals("/v1beta/models/m-direct:streamGenerateContent", r.path());
      assertEquals("sse", r.queryParam("alt"));
      assertEquals("sk-direct", r.header("x-goog-api-key"));
      assertEquals(null, r.header("authorization"));
      assertTrue(r.body().getJsonArray("contents") != null, r.body().encode());

      mock.enqueue(Behavior.status(503));
      ServerException e = Upstream.expect(ServerException.class, () -> direct.models.generateContent("m-direct", "Hi", null));
      assertEquals(503, e.code());
      assertEquals(2, mock.requestCount(), "attempts(1): no retry");
    }
  }

  @Test
  void modelsListNamesEveryChannelModel() {
    List<String> names = new ArrayList<>();
    for (Model m : client.models.list(null)) names.add(m.name().orElse(""));
    for (Upstream u : Upstream.values()) {
      assertTrue(names.contains("models/" + u.model()) || names.contains(u.model()), u.model() + " in " + names);
    }
  }

  @Test
  void aWrongKeyIsTheSdksClientErrorWith401() {
    // google-genai has no authentication-specific exception: every 4xx is a ClientException.
    try (Client wrong = sdk("sk-not-a-key-of-this-gateway")) {
      ClientException e = Upstream.expect(ClientException.class,
          () -> wrong.models.generateContent(Upstream.GEMINI.model(), "Hi", null));
      assertEquals(401, e.code(), e.getMessage());
      assertEquals("UNAUTHENTICATED", e.status(), e.getMessage());
    }
    assertEquals(0, mock.requestCount());
  }

  // Last: a 429 cools its channel down (retry-after), which would starve the tests after it.
  @Order(Integer.MAX_VALUE)
  @ParameterizedTest(name = "{0} upstream")
  @EnumSource(Upstream.class)
  void anUpstream429IsTheSdksClientErrorWith429(Upstream u) {
    mock.enqueue(Behavior.rateLimited(7));
    ClientException e = Upstream.expect(ClientException.class, () -> client.models.generateContent(u.model(), "Hi", null));
    assertEquals(429, e.code(), e.getMessage());
    assertEquals("RESOURCE_EXHAUSTED", e.status(), e.getMessage());
    assertEquals(1, mock.requestCount());
  }
}
