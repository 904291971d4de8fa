package dev.switchboard.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenAI-compatible upstream behind {@code switchboard --demo}: echoes the last user
 * message in a friendly sentence, streamed word by word when asked, so a newcomer can curl the
 * gateway without an API key. Listens on 127.0.0.1 only.
 */
public final class DemoUpstream {

  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final long WORD_DELAY_MS = 20;
  private static final int MAX_ECHO_CHARS = 200;

  private final Vertx vertx;
  private final AtomicLong ids = new AtomicLong();
  private HttpServer server;

  private DemoUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts the responder on a random local port. */
  public static Future<DemoUpstream> start(Vertx vertx) {
    DemoUpstream demo = new DemoUpstream(vertx);
    return vertx.createHttpServer()
        .requestHandler(demo::handle)
        .listen(0, "127.0.0.1")
        .map(server -> {
          demo.server = server;
          return demo;
        });
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>/v1}, the base URL to configure as a channel. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET && "/v1/models".equals(req.path())) {
      req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(OpenAiWire.models(List.of("demo"), now(), "switchboard"));
    } else if (req.method() == HttpMethod.POST && "/v1/chat/completions".equals(req.path())) {
      req.body().onSuccess(body -> {
        JsonObject json = parse(body);
        if (json == null) {
          fail(req.response(), 400, "The request body is not a JSON object.");
        } else {
          answer(req.response(), json);
        }
      });
    } else {
      fail(req.response(), 404, "Unknown path " + req.path() + "; try POST /v1/chat/completions.");
    }
  }

  private void answer(HttpServerResponse resp, JsonObject request) {
    String model = request.getValue("model") instanceof String m ? m : "demo";
    String text = "You said: " + lastUserText(request)
        + ". This reply comes from Switchboard's built-in demo upstream.";
    OpenAiWire.Usage usage =
        OpenAiWire.Usage.estimate(String.valueOf(request.getValue("messages")), text);
    String id = "chatcmpl-demo-" + ids.incrementAndGet();
    if (!Boolean.TRUE.equals(request.getValue("stream"))) {
      resp.putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(OpenAiWire.completion(id, now(), model, text, "stop", usage));
      return;
    }
    boolean includeUsage = request.getValue("stream_options") instanceof JsonObject o
        && Boolean.TRUE.equals(o.getValue("include_usage"));
    OpenAiWire.Chunks chunks = OpenAiWire.chunks(id, now(), model, includeUsage);
    resp.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM);
    resp.write(chunks.role());
    streamWords(resp, chunks, text.split(" "), 0, includeUsage ? usage : null);
  }

  private void streamWords(
      HttpServerResponse resp, OpenAiWire.Chunks chunks, String[] words, int next,
      OpenAiWire.Usage usage) {
    if (resp.closed()) {
      return;
    }
    if (next == words.length) {
      resp.write(chunks.finish("stop"));
      if (usage != null) {
        resp.write(chunks.usage(usage));
      }
      resp.end(OpenAiWire.done());
      return;
    }
    resp.write(chunks.content(next == 0 ? words[0] : " " + words[next]));
    vertx.setTimer(WORD_DELAY_MS, t -> streamWords(resp, chunks, words, next + 1, usage));
  }

  /** Text of the last {@code user} message; array contents contribute their text parts. */
  static String lastUserText(JsonObject request) {
    JsonArray messages = request.getValue("messages") instanceof JsonArray a ? a : new JsonArray();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.getValue(i) instanceof JsonObject m && "user".equals(m.getValue("role"))) {
        String text = textOf(m.getValue("content")).strip();
        return text.length() <= MAX_ECHO_CHARS ? text : text.substring(0, MAX_ECHO_CHARS) + "...";
      }
    }
    return "nothing";
  }

  private static String textOf(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object part : parts) {
        if (part instanceof JsonObject p && p.getValue("text") instanceof String t) {
          sb.append(sb.length() == 0 ? "" : " ").append(t);
        }
      }
    }
    return sb.toString();
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body.length() == 0 ? null : body.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void fail(HttpServerResponse resp, int status, String message) {
    resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(OpenAiWire.error(message, "invalid_request_error", null));
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
