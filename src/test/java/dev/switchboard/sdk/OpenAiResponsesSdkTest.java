package dev.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.RecordedRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK's Responses API ({@code client.responses()}) against the
 * gateway's {@code /v1/responses} edge, with every upstream type behind it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiResponsesSdkTest extends SdkAgainstGateway<OpenAIClient> {

  private static final String KEY = "sk-client-openai-resp-sdk-00000001";
  private static final String TEXT = "Responses-shaped words from whichever upstream";

  OpenAiResponsesSdkTest() {
    super(KEY, OpenAIClient::close);
  }

  @Override
  OpenAIClient sdk(String key) {
    return openAi(gateway, key);
  }

  private static ResponseCreateParams.Builder params(Upstream u) {
    return ResponseCreateParams.builder().model(u.model()).input("Hi");
  }

  private static String text(Response r) {
    return r.output().stream().flatMap(item -> item.message().stream())
        .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream())
        .map(t -> t.text()).collect(Collectors.joining());
  }

  private static void assertUsage(ResponseUsage usage) {
    assertEquals(40, usage.inputTokens(), usage.toString());
    assertEquals(12, usage.outputTokens(), usage.toString());
    assertEquals(52, usage.totalTokens(), usage.toString());
    assertEquals(8, usage.inputTokensDetails().cachedTokens(), usage.toString());
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void plainResponse(Upstream u, boolean withCost) {
    OpenAIClient client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).usage(40, 12, 8, 0));
    Response r = client.responses().create(params(u).build());
    // No r.validate(): openai-java 4.101 requires usage.input_tokens_details.cache_write_tokens,
    // which the mock's Responses wire does not send (the gateway passes it through as is).

    assertEquals(TEXT, text(r));
    assertEquals(ResponseStatus.COMPLETED, r.status().orElseThrow());
    assertUsage(r.usage().orElseThrow());
    assertEquals(withCost, r.usage().orElseThrow()._additionalProperties().containsKey("cost"), "usage.cost, kept as an extra");
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void streamedResponseAccumulates(Upstream u, boolean withCost) {
    OpenAIClient client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).chunks(5).usage(40, 12, 8, 0));
    ResponseAccumulator acc = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params(u).build())) {
      stream.stream().forEach(acc::accumulate);
    }
    Response r = acc.response();

    assertEquals(TEXT, text(r));
    assertEquals(ResponseStatus.COMPLETED, r.status().orElseThrow());
    assertUsage(r.usage().orElseThrow());
  }

  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @MethodSource("toolCells")
  void functionCallRoundTrip(Upstream u, boolean stream) {
    mock.enqueue(Behavior.ok().toolCall(Upstream.TOOL, Upstream.TOOL_ARGS_JSON), Behavior.ok().content("It is sunny in Oslo"));
    FunctionTool tool = FunctionTool.builder().name(Upstream.TOOL).description("Current weather in a city").strict(false)
        .parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build();
    ResponseCreateParams first = ResponseCreateParams.builder().model(u.model()).addTool(tool)
        .input("What is the weather in Oslo?").build();

    Response answer;
    if (stream) {
      ResponseAccumulator acc = ResponseAccumulator.create();
      try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(first)) {
        s.stream().forEach(acc::accumulate);
      }
      answer = acc.response();
    } else {
      answer = client.responses().create(first);
    }

    List<ResponseFunctionToolCall> calls = answer.output().stream()
        .flatMap(item -> item.functionCall().stream()).toList();
    assertEquals(1, calls.size(), answer.toString());
    ResponseFunctionToolCall call = calls.get(0);
    assertEquals(Upstream.TOOL, call.name());
    assertEquals(Upstream.TOOL_ARGS, new JsonObject(call.arguments()));
    assertFalse(call.callId().isEmpty(), "call_id");

    List<ResponseInputItem> input = new ArrayList<>();
    input.add(ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
        .role(EasyInputMessage.Role.USER).content("What is the weather in Oslo?").build()));
    input.add(ResponseInputItem.ofFunctionCall(call));
    input.add(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
        .callId(call.callId()).output(Upstream.TOOL_RESULT).build()));
    Response done = client.responses().create(ResponseCreateParams.builder().model(u.model()).addTool(tool)
        .input(ResponseCreateParams.Input.ofResponse(input)).build());

    assertEquals("It is sunny in Oslo", text(done));
    assertEquals(2, mock.requests().size());
    RecordedRequest seen = mock.requests().get(1);
    u.assertToolRoundTrip(seen, u == Upstream.GEMINI ? null : call.callId());
  }

  @Test
  void aWrongKeyIsTheSdksAuthenticationError() {
    OpenAIClient wrong = sdk("sk-not-a-key-of-this-gateway");
    try {
      UnauthorizedException e = Upstream.expect(UnauthorizedException.class,
          () -> wrong.responses().create(params(Upstream.RESPONSES).build()));
      assertEquals(401, e.statusCode());
    } finally {
      wrong.close();
    }
    assertEquals(0, mock.requestCount());
  }

  // Last: a 429 cools its channel down (retry-after), which would starve the tests after it.
  @Order(Integer.MAX_VALUE)
  @ParameterizedTest(name = "{0} upstream")
  @EnumSource(Upstream.class)
  void anUpstream429IsTheSdksRateLimitError(Upstream u) {
    mock.enqueue(Behavior.rateLimited(7));
    RateLimitException e = Upstream.expect(RateLimitException.class,
        () -> client.responses().create(params(u).build()));
    assertEquals(429, e.statusCode());
    assertEquals(List.of("7"), e.headers().values("retry-after"), "the upstream's retry hint reaches the client");
    assertEquals(1, mock.requestCount());
  }
}
