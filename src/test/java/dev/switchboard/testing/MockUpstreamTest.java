package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
class MockUpstreamTest {

  private static final JsonArray MESSAGES = new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "Say hello"));

  private MockUpstream mock;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = vertx.createHttpClient();
    MockUpstream.start(vertx).onComplete(ctx.succeeding(m -> {
      mock = m;
      ctx.completeNow();
    }));
  }

  @Test
  void nonStreamAnswerIsAChatCompletionAndTheRequestIsRecorded(VertxTestContext ctx) {
    post(request(false), 0)
        .compose(resp -> {
          ctx.verify(() -> {
            assertEquals(200, resp.statusCode());
            assertEquals("application/json", resp.getHeader("content-type"));
          });
          return resp.body();
        })
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          JsonObject json = body.toJsonObject();
          assertTrue(json.getString("id").startsWith("chatcmpl-"));
          assertEquals("chat.completion", json.getString("object"));
          assertEquals("gpt-test", json.getString("model"));
          JsonObject choice = json.getJsonArray("choices").getJsonObject(0);
          assertEquals(0, choice.getInteger("index"));
          assertEquals("assistant", choice.getJsonObject("message").getString("role"));
          assertEquals("Hello from the mock upstream",
              choice.getJsonObject("message").getString("content"));
          assertEquals("stop", choice.getString("finish_reason"));
          JsonObject usage = json.getJsonObject("usage");
          assertEquals(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"),
              usage.getInteger("total_tokens"));
          assertEquals(0, usage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens"));
          assertEquals(0,
              usage.getJsonObject("completion_tokens_details").getInteger("reasoning_tokens"));

          assertEquals(1, mock.requestCount());
          RecordedRequest recorded = mock.requests().get(0);
          assertEquals("POST", recorded.method());
          assertEquals("/v1/chat/completions", recorded.path());
          assertEquals("Bearer sk-test", recorded.header("authorization"));
          assertEquals("gpt-test", recorded.body().getString("model"));
          assertFalse(recorded.streamed());
          assertEquals(0, mock.inFlight());
          ctx.completeNow();
        })));
  }

  @Test
  void streamWithoutIncludeUsageFollowsTheChunkSequenceAndCarriesNoUsage(VertxTestContext ctx) {
    mock.enqueue(Behavior.ok().content("one two three"));
    post(request(true), 0)
        .compose(resp -> {
          ctx.verify(() -> assertEquals("text/event-stream", resp.getHeader("content-type")));
          return resp.body();
        })
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          List<JsonObject> chunks = Sse.chunks(body.toString());
          assertEquals(5, chunks.size(), "role, three words, finish");
          assertEquals("one two three", assertTextStream(chunks, "stop"));
          chunks.forEach(c -> assertFalse(c.containsKey("usage"), c.encode()));
          assertTrue(mock.requests().get(0).streamed());
          ctx.completeNow();
        })));
  }

  @Test
  void streamWithIncludeUsageEndsWithAUsageChunkAndNullUsageElsewhere(VertxTestContext ctx) {
    mock.enqueue(Behavior.ok().content("abcdefghij").chunks(3).usage(10, 5, 4, 2));
    JsonObject body = request(true)
        .put("stream_options", new JsonObject().put("include_usage", true));
    post(body, 0)
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(raw -> ctx.verify(() -> {
          List<JsonObject> chunks = Sse.chunks(raw.toString());
          assertEquals(6, chunks.size(), "role, three deltas, finish, usage");
          JsonObject usageChunk = chunks.get(5);
          assertEquals(List.of("abc", "def", "ghij"), List.of(
              content(chunks.get(1)), content(chunks.get(2)), content(chunks.get(3))));
          assertEquals("abcdefghij", assertTextStream(chunks.subList(0, 5), "stop"));
          chunks.subList(0, 5).forEach(c -> {
            assertTrue(c.containsKey("usage"), c.encode());
            assertNull(c.getValue("usage"), c.encode());
          });
          assertUsageChunk(usageChunk, 10, 5, 4, 2);
          assertEquals(chunks.get(0).getString("id"), usageChunk.getString("id"));
          ctx.completeNow();
        })));
  }

  @Test
  void alwaysUsageSendsTheUsageChunkUnasked(VertxTestContext ctx) {
    mock.defaultBehavior(Behavior.ok().usage(7, 3, 0, 1).alwaysUsage());
    post(request(true), 0)
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(raw -> ctx.verify(() -> {
          List<JsonObject> chunks = Sse.chunks(raw.toString());
          assertUsageChunk(chunks.get(chunks.size() - 1), 7, 3, 0, 1);
          ctx.completeNow();
        })));
  }

  @Test
  void rateLimitedAnswers429WithRetryAfterAndTheRateLimitCode(VertxTestContext ctx) {
    mock.enqueue(Behavior.rateLimited(7));
    post(request(true), 0)
        .compose(resp -> {
          ctx.verify(() -> {
            assertEquals(429, resp.statusCode());
            assertEquals("7", resp.getHeader("retry-after"));
          });
          return resp.body();
        })
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          JsonObject error = body.toJsonObject().getJsonObject("error");
          assertEquals("rate_limit_exceeded", error.getString("code"));
          assertTrue(error.containsKey("param"));
          assertNull(error.getValue("param"));
          ctx.completeNow();
        })));
  }

  @Test
  void queuedStatusFaultsAreConsumedInOrderThenTheDefaultApplies(VertxTestContext ctx) {
    mock.enqueue(Behavior.status(500), Behavior.status(401));
    post(request(false), 0)
        .compose(first -> first.body().map(body -> {
          ctx.verify(() -> {
            assertEquals(500, first.statusCode());
            assertEquals(new JsonObject().put("error", new JsonObject()
                .put("message", "mock failure 500").put("type", "server_error")
                .putNull("param").putNull("code")), body.toJsonObject());
          });
          return first;
        }))
        .compose(first -> post(request(false), 0))
        .compose(second -> {
          ctx.verify(() -> assertEquals(401, second.statusCode()));
          return second.body().compose(b -> post(request(false), 0));
        })
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          assertEquals(200, third.statusCode());
          assertEquals(3, mock.requestCount());
          ctx.completeNow();
        })));
  }

  @Test
  void dropAfterClosesTheConnectionMidStream(VertxTestContext ctx) {
    mock.enqueue(Behavior.ok().dropAfter(2));
    Buffer received = Buffer.buffer();
    post(request(true), 0)
        .compose(resp -> {
          resp.handler(received::appendBuffer);
          return resp.end();
        })
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          List<String> events = Sse.payloads(received.toString());
          assertEquals(2, events.size(), "role chunk and first word, no finish, no [DONE]");
          assertEquals(0, mock.aborted(), "a drop by the mock is not a client abort");
          assertEquals(0, mock.inFlight());
          ctx.completeNow();
        })));
  }

  @Test
  void hangSendsNoHeadSoTheClientIdleTimeoutFiresAndTheCloseCountsAsAbort(VertxTestContext ctx) {
    mock.enqueue(Behavior.hang());
    post(request(false), 200)
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().toLowerCase().contains("timeout"), err.toString());
          assertEquals(1, mock.requestCount(), "the request was read");
          mock.awaitAborted(1).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
            assertEquals(0, mock.inFlight());
            ctx.completeNow();
          })));
        })));
  }

  @Test
  void stallAfterSendsSomeEventsThenGoesSilentWithTheConnectionOpen(
      Vertx vertx, VertxTestContext ctx) {
    mock.enqueue(Behavior.ok().stallAfter(3));
    Buffer received = Buffer.buffer();
    Promise<Void> threeEvents = Promise.promise();
    client.request(options(0))
        .compose(req -> req.send(request(true).toBuffer()).compose(resp -> {
          resp.handler(chunk -> {
            received.appendBuffer(chunk);
            if (Sse.payloads(received.toString()).size() >= 3) {
              threeEvents.tryComplete();
            }
          });
          // Nothing may follow the third event; give the mock time to misbehave, then leave.
          return threeEvents.future().compose(v -> vertx.timer(200)).compose(t -> {
            ctx.verify(() -> {
              assertEquals(3, Sse.payloads(received.toString()).size());
              assertEquals(1, mock.inFlight(), "the mock still holds the response open");
            });
            return req.reset();
          });
        }))
        .compose(v -> mock.awaitAborted(1))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void clientResetMidStreamIsCountedAsAborted(VertxTestContext ctx) {
    mock.enqueue(Behavior.ok().chunks(50).content("x".repeat(50)).tokenDelayMs(20));
    client.request(options(0))
        .compose(req -> req.send(request(true).toBuffer()).compose(resp -> {
          ctx.verify(() -> assertEquals(1, mock.inFlight()));
          resp.handler(chunk -> req.reset());
          return mock.awaitAborted(1);
        }))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(1, mock.aborted());
          assertEquals(0, mock.inFlight());
          ctx.completeNow();
        })));
  }

  @Test
  void malformedSseIsAnEventStreamOfInvalidJsonThenDone(VertxTestContext ctx) {
    mock.enqueue(Behavior.malformedSse());
    post(request(true), 0)
        .compose(resp -> {
          ctx.verify(() -> {
            assertEquals(200, resp.statusCode());
            assertEquals("text/event-stream", resp.getHeader("content-type"));
          });
          return resp.body();
        })
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          List<String> payloads = Sse.payloads(body.toString());
          assertEquals("[DONE]", payloads.get(payloads.size() - 1));
          for (String payload : payloads.subList(0, payloads.size() - 1)) {
            assertTrue(isInvalidJson(payload), payload);
          }
          ctx.completeNow();
        })));
  }

  @Test
  void oversizedEventStreamsOneEventLargerThanTheLimit(VertxTestContext ctx) {
    mock.enqueue(Behavior.oversizedEvent(100_000));
    post(request(true), 0)
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          List<String> payloads = Sse.payloads(body.toString());
          assertTrue(payloads.stream().anyMatch(p -> p.length() > 100_000));
          assertEquals(100_000, assertTextStream(Sse.chunks(body.toString()), "stop").length());
          ctx.completeNow();
        })));
  }

  @Test
  void headerDelayHoldsTheResponseHead(VertxTestContext ctx) {
    mock.enqueue(Behavior.ok().headerDelayMs(150));
    long startedAt = System.nanoTime();
    post(request(false), 0)
        .onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
          long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
          assertTrue(elapsedMs >= 150, "head after " + elapsedMs + " ms");
          ctx.completeNow();
        })));
  }

  @Test
  void modelsListsTheMockModel(VertxTestContext ctx) {
    client.request(HttpMethod.GET, mock.port(), "127.0.0.1", "/v1/models")
        .compose(HttpClientRequest::send)
        .compose(HttpClientResponse::body)
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          JsonObject json = body.toJsonObject();
          assertEquals("list", json.getString("object"));
          assertEquals("mock-model", json.getJsonArray("data").getJsonObject(0).getString("id"));
          ctx.completeNow();
        })));
  }

  @Test
  void malformedRequestJsonIsA400EnvelopeAndKeepsTheQueue(VertxTestContext ctx) {
    mock.enqueue(Behavior.status(503));
    client.request(options(0))
        .compose(req -> req.send("{not json"))
        .compose(resp -> {
          ctx.verify(() -> assertEquals(400, resp.statusCode()));
          return resp.body();
        })
        .compose(body -> {
          ctx.verify(() -> {
            assertEquals("invalid_request_error",
                body.toJsonObject().getJsonObject("error").getString("type"));
            assertNull(mock.requests().get(0).body());
          });
          return post(request(false), 0);
        })
        .onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
          assertEquals(503, resp.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void resetClearsQueueRecordsCountersAndDefault(VertxTestContext ctx) {
    mock.defaultBehavior(Behavior.status(500)).enqueue(Behavior.status(502));
    post(request(false), 0)
        .compose(resp -> {
          mock.reset();
          ctx.verify(() -> {
            assertEquals(0, mock.requestCount());
            assertTrue(mock.requests().isEmpty());
          });
          return post(request(false), 0);
        })
        .onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
          assertEquals(200, resp.statusCode());
          assertEquals(1, mock.requestCount());
          ctx.completeNow();
        })));
  }

  @Test
  void toolCallsStreamAsIndexedDeltasWithArgumentsOverSeveralChunks(Vertx vertx) {
    mock.enqueue(Behavior.ok().toolCall("get_weather", "{\"city\":\"Oslo\"}")
        .toolCall("get_time", "{\"tz\":\"CET\"}"));
    List<JsonObject> chunks = Sse.chunks(new WireCalls(vertx, mock)
        .generate(Protocol.OPENAI, true).body());
    StringBuilder[] arguments = {new StringBuilder(), new StringBuilder()};
    String[] ids = new String[2];
    int fragments = 0;
    for (JsonObject chunk : chunks.subList(1, chunks.size() - 1)) {
      JsonObject delta = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
      assertFalse(delta.containsKey("content"), "no text with tool calls only");
      JsonObject call = delta.getJsonArray("tool_calls").getJsonObject(0);
      int index = call.getInteger("index");
      if (call.containsKey("id")) {
        assertNull(ids[index], "id only in the first delta of a call");
        ids[index] = call.getString("id");
        assertEquals("function", call.getString("type"));
      }
      arguments[index].append(call.getJsonObject("function").getString("arguments"));
      fragments++;
    }
    assertTrue(fragments >= 6, "arguments split over several chunks");
    assertTrue(ids[0].startsWith("call_") && !ids[0].equals(ids[1]));
    assertEquals("{\"city\":\"Oslo\"}", arguments[0].toString());
    assertEquals("{\"tz\":\"CET\"}", arguments[1].toString());
    JsonObject finish = chunks.get(chunks.size() - 1).getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", finish.getString("finish_reason"));
  }

  @Test
  void nonStreamToolCallHasNullContentAndReasoningContent(Vertx vertx) {
    mock.enqueue(Behavior.ok().thinking("Need weather.").toolCall("get_weather", "{}"));
    JsonObject choice = new WireCalls(vertx, mock).generate(Protocol.OPENAI, false).json()
        .getJsonArray("choices").getJsonObject(0);
    JsonObject message = choice.getJsonObject("message");
    assertTrue(message.containsKey("content"));
    assertNull(message.getValue("content"));
    assertEquals("Need weather.", message.getString("reasoning_content"));
    JsonObject call = message.getJsonArray("tool_calls").getJsonObject(0);
    assertEquals("get_weather", call.getJsonObject("function").getString("name"));
    assertEquals("{}", call.getJsonObject("function").getString("arguments"));
    assertEquals("tool_calls", choice.getString("finish_reason"));
  }

  @Test
  void thinkingStreamsReasoningContentBeforeTheText(Vertx vertx) {
    mock.enqueue(Behavior.ok().thinking("Think.").content("Answer."));
    List<JsonObject> chunks = Sse.chunks(new WireCalls(vertx, mock)
        .generate(Protocol.OPENAI, true).body());
    assertEquals("Think.", chunks.get(1).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getString("reasoning_content"));
    assertEquals("Answer.", content(chunks.get(2)));
    assertEquals("stop", chunks.get(3).getJsonArray("choices").getJsonObject(0)
        .getString("finish_reason"));
  }

  @Test
  void embeddingsAnswerOneVectorPerInput(Vertx vertx) {
    WireCalls.Reply reply = new WireCalls(vertx, mock).post("/v1/embeddings", new JsonObject()
        .put("model", "emb-test").put("input", new JsonArray().add("a").add("b")),
        "authorization", "Bearer sk-test");
    JsonObject json = reply.json();
    assertEquals("list", json.getString("object"));
    assertEquals(2, json.getJsonArray("data").size());
    assertEquals(1, json.getJsonArray("data").getJsonObject(1).getInteger("index"));
    assertEquals("emb-test", json.getString("model"));
    assertTrue(json.getJsonObject("usage").getInteger("prompt_tokens") > 0);
    assertEquals(Protocol.OPENAI, mock.requests().get(0).protocol());
  }

  @Test
  void azureRecordsDeploymentAndApiVersionAndAnswersLikeChat(Vertx vertx) {
    mock.enqueue(Behavior.ok().content("hi there"));
    WireCalls.Reply reply = new WireCalls(vertx, mock).generate(Protocol.AZURE_OPENAI, true);
    assertEquals("hi there", assertTextStream(Sse.chunks(reply.body()), "stop"));
    RecordedRequest recorded = mock.requests().get(0);
    assertEquals(Protocol.AZURE_OPENAI, recorded.protocol());
    assertEquals("my-deploy", recorded.pathModel());
    assertEquals("2024-10-21", recorded.queryParam("api-version"));
    assertEquals("api-version=2024-10-21", recorded.query());
    assertEquals("az-key", recorded.header("api-key"));
    assertTrue(recorded.streamed());
  }

  @Test
  void azureWithoutApiKeyIs401AndWithoutApiVersionIs404AndBothKeepTheQueue(Vertx vertx) {
    WireCalls calls = new WireCalls(vertx, mock);
    mock.enqueue(Behavior.status(500));
    JsonObject body = WireCalls.body(Protocol.AZURE_OPENAI, false);
    WireCalls.Reply noKey = calls.post(
        "/openai/deployments/d/chat/completions?api-version=2024-10-21", body,
        "authorization", "Bearer sk-test");
    assertEquals(401, noKey.status());
    assertEquals("401", noKey.json().getJsonObject("error").getString("code"));
    WireCalls.Reply noVersion = calls.post("/openai/deployments/d/chat/completions", body,
        "api-key", "az-key");
    assertEquals(404, noVersion.status());
    assertEquals(500, calls.generate(Protocol.AZURE_OPENAI, false).status());
    assertEquals(3, mock.requestCount(), "refused requests are recorded too");
  }

  @Test
  void baseUrlsPointAtTheProtocolsRoots() {
    String root = "http://127.0.0.1:" + mock.port();
    assertEquals(root, mock.root());
    assertEquals(root + "/v1", mock.baseUrl());
    assertEquals(root + "/v1beta", mock.geminiBaseUrl());
    assertEquals(root, mock.azureBaseUrl());
  }

  private RequestOptions options(long idleTimeoutMs) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("127.0.0.1")
        .setPort(mock.port())
        .setURI("/v1/chat/completions")
        .putHeader("content-type", "application/json")
        .putHeader("authorization", "Bearer sk-test");
    return idleTimeoutMs > 0 ? options.setIdleTimeout(idleTimeoutMs) : options;
  }

  private Future<HttpClientResponse> post(JsonObject body, long idleTimeoutMs) {
    return client.request(options(idleTimeoutMs)).compose(req -> req.send(body.toBuffer()));
  }

  private static JsonObject request(boolean stream) {
    return new JsonObject()
        .put("model", "gpt-test").put("messages", MESSAGES).put("stream", stream);
  }

  private static String content(JsonObject chunk) {
    JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
    return choice.getJsonObject("delta").getString("content");
  }

  /**
   * Checks the OpenAI chunk sequence (role first and only there, content deltas, one finish
   * chunk with an empty delta, one id) and returns the concatenated content.
   */
  static String assertTextStream(List<JsonObject> chunks, String finishReason) {
    StringBuilder text = new StringBuilder();
    String id = chunks.get(0).getString("id");
    for (int i = 0; i < chunks.size(); i++) {
      JsonObject chunk = chunks.get(i);
      assertEquals("chat.completion.chunk", chunk.getString("object"));
      assertEquals(id, chunk.getString("id"));
      JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
      JsonObject delta = choice.getJsonObject("delta");
      assertEquals(i == 0, delta.containsKey("role"), "role only in the first chunk");
      if (i == chunks.size() - 1) {
        assertTrue(delta.isEmpty(), "finish chunk has an empty delta");
        assertEquals(finishReason, choice.getString("finish_reason"));
      } else {
        assertNull(choice.getValue("finish_reason"));
        text.append(delta.getString("content"));
      }
    }
    return text.toString();
  }

  static void assertUsageChunk(JsonObject chunk, int prompt, int completion, int cached,
      int reasoning) {
    assertEquals(new JsonArray(), chunk.getJsonArray("choices"));
    JsonObject usage = chunk.getJsonObject("usage");
    assertEquals(prompt, usage.getInteger("prompt_tokens"));
    assertEquals(completion, usage.getInteger("completion_tokens"));
    assertEquals(prompt + completion, usage.getInteger("total_tokens"));
    assertEquals(cached, usage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens"));
    assertEquals(reasoning,
        usage.getJsonObject("completion_tokens_details").getInteger("reasoning_tokens"));
  }

  private static boolean isInvalidJson(String payload) {
    try {
      new JsonObject(payload);
      return false;
    } catch (RuntimeException e) {
      return true;
    }
  }
}
