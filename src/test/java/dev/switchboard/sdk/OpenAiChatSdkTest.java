package dev.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.RecordedRequest;
import io.vertx.core.json.JsonObject;
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
 * The official OpenAI Java SDK's Chat Completions ({@code client.chat().completions()})
 * against the gateway, with every upstream type behind it. Base URL: the gateway root plus
 * {@code /v1}; the key goes as {@code Authorization: Bearer}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenAiChatSdkTest extends SdkAgainstGateway<OpenAIClient> {

  private static final String KEY = "sk-client-openai-chat-sdk-00000001";
  private static final String TEXT = "Chat-shaped words from whichever upstream";

  OpenAiChatSdkTest() {
    super(KEY, OpenAIClient::close);
  }

  @Override
  OpenAIClient sdk(String key) {
    return openAi(gateway, key);
  }

  private static ChatCompletionCreateParams.Builder params(Upstream u) {
    return ChatCompletionCreateParams.builder().model(u.model()).addUserMessage("Hi");
  }

  private static void assertUsage(CompletionUsage usage) {
    assertEquals(40, usage.promptTokens(), usage.toString());
    assertEquals(12, usage.completionTokens(), usage.toString());
    assertEquals(52, usage.totalTokens(), usage.toString());
    assertEquals(8L, usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(-1L), usage.toString());
  }

  /** The answer to {@code params}, streamed and accumulated or not. */
  private ChatCompletion answer(ChatCompletionCreateParams params, boolean stream) {
    if (!stream) {
      return client.chat().completions().create(params);
    }
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.chatCompletion();
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void plainCompletion(Upstream u, boolean withCost) {
    OpenAIClient client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).usage(40, 12, 8, 0));
    ChatCompletion c = client.chat().completions().create(params(u).build());
    c.validate(); // every field the SDK requires is there, with its type

    assertEquals(TEXT, c.choices().get(0).message().content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
    assertUsage(c.usage().orElseThrow());
    assertEquals(withCost, c.usage().orElseThrow()._additionalProperties().containsKey("cost"), "usage.cost, kept as an extra");
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void streamedCompletionAccumulates(Upstream u, boolean withCost) {
    OpenAIClient client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).chunks(5).usage(40, 12, 8, 0));
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    ChatCompletionCreateParams p = params(u)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(p)) {
      stream.stream().forEach(acc::accumulate);
    }
    ChatCompletion c = acc.chatCompletion();

    assertEquals(TEXT, c.choices().get(0).message().content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
    assertUsage(c.usage().orElseThrow());
  }

  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @MethodSource("toolCells")
  void toolCallRoundTrip(Upstream u, boolean stream) {
    mock.enqueue(Behavior.ok().toolCall(Upstream.TOOL, Upstream.TOOL_ARGS_JSON), Behavior.ok().content("It is sunny in Oslo"));
    FunctionDefinition fn = FunctionDefinition.builder().name(Upstream.TOOL).description("Current weather in a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build();
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model(u.model())
        .addFunctionTool(fn).addUserMessage("What is the weather in Oslo?").build();

    ChatCompletion answer = answer(first, stream);

    ChatCompletion.Choice choice = answer.choices().get(0);
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason(), answer.toString());
    List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow().stream()
        .map(tc -> tc.function().orElseThrow()).toList();
    assertEquals(1, calls.size(), answer.toString());
    ChatCompletionMessageFunctionToolCall call = calls.get(0);
    assertEquals(Upstream.TOOL, call.function().name());
    assertEquals(Upstream.TOOL_ARGS, new JsonObject(call.function().arguments()));
    assertFalse(call.id().isEmpty(), "tool call id");

    ChatCompletionCreateParams second = ChatCompletionCreateParams.builder().model(u.model())
        .addFunctionTool(fn).addUserMessage("What is the weather in Oslo?")
        .addMessage(choice.message())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(Upstream.TOOL_RESULT).build())
        .build();
    ChatCompletion done = client.chat().completions().create(second);

    assertEquals("It is sunny in Oslo", done.choices().get(0).message().content().orElseThrow());
    assertEquals(2, mock.requests().size());
    RecordedRequest seen = mock.requests().get(1);
    u.assertToolRoundTrip(seen, u == Upstream.GEMINI ? null : call.id());
  }

  /**
   * A reasoning upstream in a tool loop: the call still round-trips by id, and a Gemini
   * upstream gets its thought signature back on the functionCall part, although Chat has no
   * field for it (the gateway has to carry it, e.g. inside the tool call id).
   */
  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @MethodSource("toolCells")
  void reasoningToolLoop(Upstream u, boolean stream) {
    mock.enqueue(Behavior.ok().thinking("The user wants Oslo weather so I call the tool")
        .toolCall(Upstream.TOOL, Upstream.TOOL_ARGS_JSON), Behavior.ok().content("It is sunny in Oslo"));
    FunctionDefinition fn = FunctionDefinition.builder().name(Upstream.TOOL)
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .build())
        .build();
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model(u.model())
        .addFunctionTool(fn).addUserMessage("What is the weather in Oslo?").build();
    ChatCompletion answer = answer(first, stream);
    ChatCompletion.Choice choice = answer.choices().get(0);
    ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).function().orElseThrow();
    assertEquals(Upstream.TOOL, call.function().name());

    ChatCompletionCreateParams second = ChatCompletionCreateParams.builder().model(u.model())
        .addFunctionTool(fn).addUserMessage("What is the weather in Oslo?")
        .addMessage(choice.message())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(Upstream.TOOL_RESULT).build())
        .build();
    assertEquals("It is sunny in Oslo", client.chat().completions().create(second).choices().get(0).message().content().orElseThrow());

    RecordedRequest seen = mock.requests().get(1);
    u.assertToolRoundTrip(seen, u == Upstream.GEMINI ? null : call.id());
    u.assertThoughtSignatureReturned(seen);
  }

  @Test
  void aWrongKeyIsTheSdksAuthenticationError() {
    OpenAIClient wrong = sdk("sk-not-a-key-of-this-gateway");
    try {
      UnauthorizedException e = Upstream.expect(UnauthorizedException.class,
          () -> wrong.chat().completions().create(params(Upstream.OPENAI).build()));
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
        () -> client.chat().completions().create(params(u).build()));
    assertEquals(429, e.statusCode());
    assertEquals(List.of("7"), e.headers().values("retry-after"), "the upstream's retry hint reaches the client");
    assertEquals(1, mock.requestCount());
  }
}
