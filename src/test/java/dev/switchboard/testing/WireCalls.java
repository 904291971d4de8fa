package dev.switchboard.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test calls to a {@link MockUpstream} in each protocol, for the mock's own tests: a canonical
 * generate request per protocol, and readers that pull the text out of each protocol's
 * answers. Calls block the JUnit thread (never an event loop) for at most ten seconds.
 */
final class WireCalls {

  /** A whole or partial answer: {@code failure} is set when the body did not end normally. */
  record Reply(int status, MultiMap headers, String body, Throwable failure) {

    JsonObject json() {
      return new JsonObject(body);
    }

    List<Sse.Event> events() {
      return Sse.events(body);
    }
  }

  static final JsonArray MESSAGES = new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "Say hello"));

  private final Vertx vertx;
  private final HttpClient client;
  private final MockUpstream mock;

  WireCalls(Vertx vertx, MockUpstream mock) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient();
    this.mock = mock;
  }

  /** The canonical generate request of {@code protocol}, with its usual auth headers. */
  RequestOptions request(Protocol protocol, boolean stream) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(mock.port()).putHeader("content-type", "application/json");
    return switch (protocol) {
      case OPENAI -> options.setURI("/v1/chat/completions")
          .putHeader("authorization", "Bearer sk-test");
      case AZURE_OPENAI -> options
          .setURI("/openai/deployments/my-deploy/chat/completions?api-version=2024-10-21")
          .putHeader("api-key", "az-key");
      case OPENAI_RESPONSES -> options.setURI("/v1/responses")
          .putHeader("authorization", "Bearer sk-test");
      case ANTHROPIC -> options.setURI("/v1/messages").putHeader("x-api-key", "sk-ant")
          .putHeader("anthropic-version", "2023-06-01");
      case GEMINI -> options.setURI(stream
              ? "/v1beta/models/gemini-test:streamGenerateContent?alt=sse"
              : "/v1beta/models/gemini-test:generateContent")
          .putHeader("x-goog-api-key", "g-key");
    };
  }

  /** The canonical generate body of {@code protocol}. */
  static JsonObject body(Protocol protocol, boolean stream) {
    return switch (protocol) {
      case OPENAI -> new JsonObject().put("model", "gpt-test").put("messages", MESSAGES)
          .put("stream", stream);
      case AZURE_OPENAI -> new JsonObject().put("messages", MESSAGES).put("stream", stream);
      case OPENAI_RESPONSES -> new JsonObject().put("model", "gpt-test").put("input", "Say hello")
          .put("stream", stream);
      case ANTHROPIC -> new JsonObject().put("model", "claude-test").put("max_tokens", 64)
          .put("messages", MESSAGES).put("stream", stream);
      case GEMINI -> new JsonObject().put("contents", new JsonArray().add(new JsonObject()
          .put("role", "user")
          .put("parts", new JsonArray().add(new JsonObject().put("text", "Say hello")))));
    };
  }

  /** Sends the canonical request; {@code quietMs} as in {@code send}. */
  Reply generate(Protocol protocol, boolean stream, long quietMs) {
    return send(request(protocol, stream), body(protocol, stream).toBuffer(), quietMs);
  }

  Reply generate(Protocol protocol, boolean stream) {
    return generate(protocol, stream, 0);
  }

  Reply post(String uri, JsonObject body, String... headers) {
    return send(options(HttpMethod.POST, uri, headers), body.toBuffer());
  }

  Reply get(String uri, String... headers) {
    return send(options(HttpMethod.GET, uri, headers), Buffer.buffer());
  }

  private RequestOptions options(HttpMethod method, String uri, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1")
        .setPort(mock.port()).setURI(uri);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    return options;
  }

  /** Sends and collects what arrives, also when the body fails midway. */
  Reply send(RequestOptions options, Buffer body) {
    return send(options, body, 0);
  }

  /**
   * Like {@link #send(RequestOptions, Buffer)}, but when {@code quietMs} is positive, resets the
   * request once the body has been silent that long and returns what arrived, with a failure.
   * A request that gets no head at all returns status -1.
   */
  Reply send(RequestOptions options, Buffer body, long quietMs) {
    Promise<Reply> reply = Promise.promise();
    client.request(options).onFailure(reply::tryFail).onSuccess(req -> req.send(body)
        .onFailure(err -> reply.tryComplete(new Reply(-1, MultiMap.caseInsensitiveMultiMap(),
            "", err)))
        .onSuccess(resp -> {
          Buffer received = Buffer.buffer();
          long[] timer = {-1};
          Runnable rearm = () -> {
            if (quietMs > 0) {
              vertx.cancelTimer(timer[0]);
              timer[0] = vertx.setTimer(quietMs, t -> {
                req.reset();
                reply.tryComplete(new Reply(resp.statusCode(), resp.headers(),
                    received.toString(), new IllegalStateException("quiet for " + quietMs)));
              });
            }
          };
          rearm.run();
          resp.handler(chunk -> {
            received.appendBuffer(chunk);
            rearm.run();
          });
          resp.exceptionHandler(err -> reply.tryComplete(
              new Reply(resp.statusCode(), resp.headers(), received.toString(), err)));
          resp.endHandler(v -> {
            vertx.cancelTimer(timer[0]);
            reply.tryComplete(
                new Reply(resp.statusCode(), resp.headers(), received.toString(), null));
          });
        }));
    return await(reply.future());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within 10 s", e);
    }
  }

  /** The text deltas of a stream, in order, as the protocol carries them. */
  static List<String> streamedText(Protocol protocol, List<Sse.Event> events) {
    List<String> pieces = new ArrayList<>();
    for (Sse.Event event : events) {
      if ("[DONE]".equals(event.data())) {
        continue;
      }
      JsonObject json = event.json();
      switch (protocol) {
        case OPENAI, AZURE_OPENAI -> {
          JsonArray choices = json.getJsonArray("choices");
          if (!choices.isEmpty()) {
            String content = choices.getJsonObject(0).getJsonObject("delta").getString("content");
            if (content != null && !content.isEmpty()) {
              pieces.add(content);
            }
          }
        }
        case ANTHROPIC -> {
          JsonObject delta = json.getJsonObject("delta");
          if ("content_block_delta".equals(event.name()) && delta.containsKey("text")) {
            pieces.add(delta.getString("text"));
          }
        }
        case OPENAI_RESPONSES -> {
          if ("response.output_text.delta".equals(event.name())) {
            pieces.add(json.getString("delta"));
          }
        }
        case GEMINI -> pieces.addAll(geminiText(json));
      }
    }
    return pieces;
  }

  /** The answer text of a non-stream body. */
  static String messageText(Protocol protocol, JsonObject json) {
    return switch (protocol) {
      case OPENAI, AZURE_OPENAI -> json.getJsonArray("choices").getJsonObject(0)
          .getJsonObject("message").getString("content");
      case ANTHROPIC -> json.getJsonArray("content").getJsonObject(0).getString("text");
      case OPENAI_RESPONSES -> json.getJsonArray("output").getJsonObject(0)
          .getJsonArray("content").getJsonObject(0).getString("text");
      case GEMINI -> String.join("", geminiText(json));
    };
  }

  /** Non-thought text parts of a Gemini response chunk, empty ones left out. */
  static List<String> geminiText(JsonObject chunk) {
    List<String> texts = new ArrayList<>();
    JsonArray parts = chunk.getJsonArray("candidates").getJsonObject(0)
        .getJsonObject("content").getJsonArray("parts");
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = parts.getJsonObject(i);
      if (part.containsKey("text") && !part.getBoolean("thought", false)
          && !part.getString("text").isEmpty()) {
        texts.add(part.getString("text"));
      }
    }
    return texts;
  }
}
