package dev.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.RecordedRequest;
import java.time.Duration;
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
 * The official Anthropic Java SDK (anthropic-java) against the gateway's Messages edge, with
 * every upstream type behind it. The SDK appends {@code /v1/messages} to its base URL, so the
 * base is the gateway root; it sends the key as {@code x-api-key} with {@code anthropic-version}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnthropicSdkTest extends SdkAgainstGateway<AnthropicClient> {

  private static final String KEY = "sk-client-anthropic-sdk-000000000001";
  private static final String TEXT = "Claude-shaped words from whichever upstream";

  AnthropicSdkTest() {
    super(KEY, AnthropicClient::close);
  }

  @Override
  AnthropicClient sdk(String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(gateway.baseUrl())
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  private static MessageCreateParams.Builder params(Upstream u) {
    return MessageCreateParams.builder().model(u.model()).maxTokens(256).addUserMessage("Hi");
  }

  private static String text(Message m) {
    return m.content().stream().flatMap(b -> b.text().stream()).map(t -> t.text()).collect(Collectors.joining());
  }

  /** The answer to {@code params}, streamed and accumulated or not. */
  private Message answer(MessageCreateParams params, boolean stream) {
    if (!stream) {
      return client.messages().create(params);
    }
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
      s.stream().forEach(acc::accumulate);
    }
    return acc.message();
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void plainMessage(Upstream u, boolean withCost) {
    AnthropicClient client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).usage(40, 12, 8, 0));
    Message m = client.messages().create(params(u).build());
    m.validate(); // every field the SDK requires is there, with its type

    assertEquals(TEXT, text(m));
    assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
    // Mock usage is in OpenAI terms: prompt 40 of which 8 cached; Anthropic reports the uncached rest.
    assertEquals(32, m.usage().inputTokens(), "input_tokens = prompt - cached");
    assertEquals(8, m.usage().cacheReadInputTokens().orElse(-1L), "cache_read_input_tokens");
    assertEquals(12, m.usage().outputTokens());
    assertEquals(withCost, m.usage()._additionalProperties().containsKey("cost"), "usage.cost, kept as an extra");
  }

  @ParameterizedTest(name = "{0} upstream, returnCost={1}")
  @MethodSource("withAndWithoutCost")
  void streamedMessageAccumulates(Upstream u, boolean withCost) {
    AnthropicClient client = withCost ? costly : this.client;
    mock.enqueue(Behavior.ok().content(TEXT).chunks(5).usage(40, 12, 8, 0));
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params(u).build())) {
      stream.stream().forEach(acc::accumulate);
    }
    Message m = acc.message();
    m.validate();

    assertEquals(TEXT, text(m));
    assertEquals(StopReason.END_TURN, m.stopReason().orElseThrow());
    assertEquals(32, m.usage().inputTokens());
    assertEquals(8, m.usage().cacheReadInputTokens().orElse(-1L));
    assertEquals(12, m.usage().outputTokens());
  }

  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @MethodSource("toolCells")
  void toolCallRoundTrip(Upstream u, boolean stream) {
    mock.enqueue(Behavior.ok().toolCall(Upstream.TOOL, Upstream.TOOL_ARGS_JSON), Behavior.ok().content("It is sunny in Oslo"));
    Tool tool = Tool.builder().name(Upstream.TOOL).description("Current weather in a city")
        .inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of("city")).build())
        .build();
    MessageCreateParams first = MessageCreateParams.builder().model(u.model()).maxTokens(256)
        .addTool(tool).addUserMessage("What is the weather in Oslo?").build();

    Message answer = answer(first, stream);

    assertEquals(StopReason.TOOL_USE, answer.stopReason().orElseThrow(), answer.toString());
    ToolUseBlock call = answer.content().stream().flatMap(b -> b.toolUse().stream()).findFirst()
        .orElseThrow(() -> new AssertionError("no tool_use block: " + answer));
    assertEquals(Upstream.TOOL, call.name());
    assertEquals(JsonValue.from(Map.of("city", "Oslo")), call._input());
    assertTrue(call.id() != null && !call.id().isEmpty(), "tool_use id");

    MessageCreateParams second = MessageCreateParams.builder().model(u.model()).maxTokens(256)
        .addTool(tool).addUserMessage("What is the weather in Oslo?")
        .addMessage(answer.toParam())
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId(call.id()).content(Upstream.TOOL_RESULT).build())))
        .build();
    Message done = client.messages().create(second);

    assertEquals("It is sunny in Oslo", text(done));
    assertEquals(2, mock.requests().size());
    RecordedRequest seen = mock.requests().get(1);
    u.assertToolRoundTrip(seen, u == Upstream.GEMINI ? null : call.id());
  }

  /**
   * Extended thinking in a tool loop: the reasoning arrives as a thinking block before the
   * tool_use, the SDK sends the whole assistant turn back (as the Anthropic API requires), and
   * an Anthropic upstream gets the thinking block back with its signature intact, ahead of the
   * tool_use it belongs to.
   */
  @ParameterizedTest(name = "{0} upstream, stream={1}")
  @MethodSource("toolCells")
  void thinkingSurvivesTheToolLoop(Upstream u, boolean stream) {
    String thought = "The user wants Oslo weather so I call the tool";
    mock.enqueue(Behavior.ok().thinking(thought).toolCall(Upstream.TOOL, Upstream.TOOL_ARGS_JSON),
        Behavior.ok().content("It is sunny in Oslo"));
    Tool tool = Tool.builder().name(Upstream.TOOL).inputSchema(Tool.InputSchema.builder()
        .properties(Tool.InputSchema.Properties.builder()
            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build()).build()).build();
    MessageCreateParams first = MessageCreateParams.builder().model(u.model()).maxTokens(2048).enabledThinking(1024)
        .addTool(tool).addUserMessage("What is the weather in Oslo?").build();
    Message answer = answer(first, stream);

    List<ContentBlock> blocks = answer.content();
    assertTrue(blocks.size() >= 2 && blocks.get(0).isThinking() && blocks.get(blocks.size() - 1).isToolUse(),
        "thinking first, tool_use last: " + answer);
    assertEquals(thought, blocks.get(0).asThinking().thinking());
    ToolUseBlock call = blocks.get(blocks.size() - 1).asToolUse();

    MessageCreateParams second = MessageCreateParams.builder().model(u.model()).maxTokens(2048).enabledThinking(1024)
        .addTool(tool).addUserMessage("What is the weather in Oslo?")
        .addMessage(answer.toParam())
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId(call.id()).content(Upstream.TOOL_RESULT).build())))
        .build();
    assertEquals("It is sunny in Oslo", text(client.messages().create(second)));

    RecordedRequest seen = mock.requests().get(1);
    u.assertToolRoundTrip(seen, u == Upstream.GEMINI ? null : call.id());
    u.assertThoughtSignatureReturned(seen);
    if (u == Upstream.ANTHROPIC) {
      String signature = blocks.get(0).asThinking().signature();
      assertFalse(signature.isEmpty(), "signature");
      io.vertx.core.json.JsonArray assistant = seen.body().getJsonArray("messages").getJsonObject(1).getJsonArray("content");
      assertEquals("thinking", assistant.getJsonObject(0).getString("type"), assistant.encode());
      assertEquals(signature, assistant.getJsonObject(0).getString("signature"), assistant.encode());
      assertEquals(thought, assistant.getJsonObject(0).getString("thinking"), assistant.encode());
    }
  }

  @ParameterizedTest(name = "{0} upstream")
  @EnumSource(Upstream.class)
  void countTokens(Upstream u) {
    MessageTokensCount count = client.messages().countTokens(MessageCountTokensParams.builder()
        .model(u.model()).addUserMessage("How many tokens are in this sentence?").build());
    assertTrue(count.inputTokens() > 0, "input_tokens: " + count);
  }

  @Test
  void modelsListNamesEveryChannelModel() {
    List<ModelInfo> models = client.models().list().data();
    models.forEach(mi -> {
      mi.id();
      mi.displayName();
      mi.createdAt();
    });
    List<String> ids = models.stream().map(ModelInfo::id).toList();
    for (Upstream u : Upstream.values()) {
      assertTrue(ids.contains(u.model()), u.model() + " in " + ids);
    }
  }

  @Test
  void aWrongKeyIsTheSdksAuthenticationError() {
    AnthropicClient wrong = sdk("sk-not-a-key-of-this-gateway");
    try {
      UnauthorizedException e = Upstream.expect(UnauthorizedException.class,
          () -> wrong.messages().create(params(Upstream.ANTHROPIC).build()));
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
    RateLimitException e = Upstream.expect(RateLimitException.class, () -> client.messages().create(params(u).build()));
    assertEquals(429, e.statusCode());
    assertEquals(List.of("7"), e.headers().values("retry-after"), "the upstream's retry hint reaches the client");
    assertEquals(1, mock.requestCount());
  }
}
