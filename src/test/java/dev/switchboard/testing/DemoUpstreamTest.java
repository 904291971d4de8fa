package dev.switchboard.testing;

import static dev.switchboard.testing.MockUpstreamTest.assertTextStream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.demo.DemoUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DemoUpstreamTest {

  private static final String REPLY =
      "You said: hi there. This reply comes from Switchboard's built-in demo upstream.";

  private DemoUpstream demo;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = vertx.createHttpClient();
    DemoUpstream.start(vertx).onComplete(ctx.succeeding(d -> {
      demo = d;
      ctx.completeNow();
    }));
  }

  @Test
  void echoesTheLastUserMessageInAChatCompletion(VertxTestContext ctx) {
    ctx.verify(() -> assertEquals("http://127.0.0.1:" + demo.port() + "/v1", demo.baseUrl()));
    post(request().encode())
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          JsonObject json = body.toJsonObject();
          assertEquals("chat.completion", json.getString("object"));
          assertEquals("demo", json.getString("model"));
          JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
          assertEquals(REPLY, choice.getJsonObject("message").getString("content"));
          assertTrue(json.getJsonObject("usage").getInteger("completion_tokens") > 0);
          ctx.completeNow();
        })));
  }

  @Test
  void streamsTheEchoWordByWordWithUsageWhenAsked(VertxTestContext ctx) {
    JsonObject body = request().put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true));
    post(body.encode())
        .compose(resp -> {
          ctx.verify(() -> assertEquals("text/event-stream", resp.getHeader("content-type")));
          return resp.body();
        })
        .onComplete(ctx.succeeding(raw -> ctx.verify(() -> {
          List<JsonObject> chunks = Sse.chunks(raw.toString());
          int words = REPLY.split(" ").length;
          assertEquals(words + 3, chunks.size(), "role, one chunk per word, finish, usage");
          assertEquals(REPLY, assertTextStream(chunks.subList(0, words + 2), "stop"));
          JsonObject usageChunk = chunks.get(chunks.size() - 1);
          assertEquals(new JsonArray(), usageChunk.getJsonArray("choices"));
          assertTrue(usageChunk.getJsonObject("usage").getInteger("total_tokens") > 0);
          ctx.completeNow();
        })));
  }

  @Test
  void streamWithoutIncludeUsageHasNoUsage(VertxTestContext ctx) {
    post(request().put("stream", true).encode())
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(raw -> ctx.verify(() -> {
          List<JsonObject> chunks = Sse.chunks(raw.toString());
          assertEquals(REPLY, assertTextStream(chunks, "stop"));
          chunks.forEach(c -> assertFalse(c.containsKey("usage")));
          ctx.completeNow();
        })));
  }

  @Test
  void malformedJsonIsA400InOpenAisEnvelope(VertxTestContext ctx) {
    post("{\"model\": ")
        .compose(resp -> {
          ctx.verify(() -> assertEquals(400, resp.statusCode()));
          return resp.body();
        })
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          JsonObject error = body.toJsonObject().getJsonObject("error");
          assertEquals("invalid_request_error", error.getString("type"));
          assertTrue(error.containsKey("code"));
          ctx.completeNow();
        })));
  }

  @Test
  void listsTheDemoModel(VertxTestContext ctx) {
    client.request(HttpMethod.GET, demo.port(), "127.0.0.1", "/v1/models")
        .compose(HttpClientRequest::send)
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          assertEquals("demo",
              body.toJsonObject().getJsonArray("data").getJsonObject(0).getString("id"));
          ctx.completeNow();
        })));
  }

  private Future<HttpClientResponse> post(String body) {
    return client.request(HttpMethod.POST, demo.port(), "127.0.0.1", "/v1/chat/completions")
        .compose(req -> req.putHeader("content-type", "application/json").send(body));
  }

  private static JsonObject request() {
    return new JsonObject().put("model", "demo").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "Be kind."))
        .add(new JsonObject().put("role", "user").put("content", "ignored"))
        .add(new JsonObject().put("role", "assistant").put("content", "ok"))
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "hi"))
            .add(new JsonObject().put("type", "text").put("text", "there")))));
  }
}
