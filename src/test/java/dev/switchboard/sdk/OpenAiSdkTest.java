package dev.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official OpenAI Java SDK, pointed at the gateway, cannot tell it from the real API. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiSdkTest {

  private static final String CLIENT_KEY = "sk-client-sdk-0000000000000001";
  private static final String CONTENT = "Streaming through Switchboard works with the official SDK";

  private MockUpstream mock;
  private TestGateway gateway;
  private OpenAIClient client;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().content(CONTENT).usage(21, 9, 0, 0));
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), "gpt-4o")
            .put("keys", new JsonArray().add("sk-upstream-sdk"))
            .put("modelMap", new JsonObject().put("gpt-4o", "gpt-4o-2024-08-06")))
        .clientKey("sdk", CLIENT_KEY)
        .start();
    client = sdk(CLIENT_KEY);
  }

  @AfterEach
  void stop() {
    try {
      client.close();
    } finally {
      gateway.close();
    }
  }

  @Test
  void nonStreamCompletion() {
    ChatCompletion completion = client.chat().completions().create(params().build());

    assertEquals(CONTENT, completion.choices().get(0).message().content().orElseThrow());
    assertEquals(21, completion.usage().orElseThrow().promptTokens());
    assertEquals(9, completion.usage().orElseThrow().completionTokens());
    assertEquals("Bearer sk-upstream-sdk", mock.requests().get(0).header("authorization"));
    assertEquals("gpt-4o-2024-08-06", mock.requests().get(0).body().getString("model"));
  }

  @Test
  void streamingCompletionAccumulatesToTheUpstreamContent() {
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params().build())) {
      chunks = stream.stream().toList();
    }

    assertEquals(CONTENT, content(chunks));
    assertTrue(chunks.stream().noneMatch(c -> c.usage().isPresent()), "the SDK did not ask for usage and gets none");
    assertEquals(1, gateway.awaitUsageCount(1));
  }

  @Test
  void streamingWithUsageRequestedEndsWithTheUsageChunk() {
    ChatCompletionCreateParams params = params()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().toList();
    }

    assertEquals(CONTENT, content(chunks));
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertTrue(last.choices().isEmpty());
    assertEquals(21, last.usage().orElseThrow().promptTokens());
    assertEquals(30, last.usage().orElseThrow().totalTokens());
  }

  @Test
  void anInvalidKeySurfacesAsUnauthorized() {
    OpenAIClient wrong = sdk("sk-not-a-key-of-this-gateway");
    try {
      UnauthorizedException e = assertThrows(UnauthorizedException.class,
          () -> wrong.chat().completions().create(params().build()));
      assertEquals(401, e.statusCode());
    } finally {
      wrong.close();
    }
    assertEquals(0, mock.requestCount());
  }

  private OpenAIClient sdk(String key) {
    return SdkAgainstGateway.openAi(gateway, key);
  }

  private static ChatCompletionCreateParams.Builder params() {
    return ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("Say something");
  }

  private static String content(List<ChatCompletionChunk> chunks) {
    return chunks.stream()
        .flatMap(c -> c.choices().stream())
        .map(choice -> choice.delta().content().orElse(""))
        .collect(Collectors.joining());
  }
}
