package dev.switchboard.testing;

import dev.switchboard.demo.OpenAiWire;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A programmable OpenAI-compatible upstream for integration tests and benchmarks. Serves
 * {@code POST /v1/chat/completions} (JSON or SSE) and {@code GET /v1/models} on 127.0.0.1.
 *
 * <p>Each chat request takes the next {@link Behavior} from a FIFO filled by {@link #enqueue},
 * or the {@link #defaultBehavior} when the FIFO is empty. All public methods are thread-safe:
 * tests call them from the JUnit thread while the server runs on its event loop. Counters
 * count from start or the last {@link #reset()}.
 */
public final class MockUpstream {

  /** Beyond this many recorded requests, requests are counted but no longer kept. */
  public static final int MAX_RECORDS = 10_000;

  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  private static final String[] MALFORMED = {
      "data: {not json\n\n",
      "data: {\"id\":\"chatcmpl-mock\",\"choices\":[{\"delta\":\n\n",
      "data: [DONE]\n\n"};

  private final Vertx vertx;
  private final Queue<Behavior> queue = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> records = new ArrayList<>();
  private final List<AbortWaiter> waiters = new ArrayList<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger aborted = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private volatile Behavior defaultBehavior = Behavior.ok();
  private HttpServer server;

  private record AbortWaiter(int count, Promise<Void> promise) {}

  private MockUpstream(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts a mock on a random port of 127.0.0.1. */
  public static Future<MockUpstream> start(Vertx vertx) {
    return start(vertx, 0);
  }

  /** Starts a mock on {@code port} of 127.0.0.1 (0 for a random one). */
  public static Future<MockUpstream> start(Vertx vertx, int port) {
    MockUpstream mock = new MockUpstream(vertx);
    return vertx.createHttpServer()
        .requestHandler(mock::handle)
        .listen(port, "127.0.0.1")
        .map(server -> {
          mock.server = server;
          return mock;
        });
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public Future<Void> close() {
    return server.close();
  }

  /** The behaviour used when the queue is empty (initially {@link Behavior#ok()}). */
  public MockUpstream defaultBehavior(Behavior behavior) {
    this.defaultBehavior = behavior;
    return this;
  }

  /** Queues behaviours, each consumed by one chat request, in order. */
  public MockUpstream enqueue(Behavior... behaviors) {
    queue.addAll(List.of(behaviors));
    return this;
  }

  /** Chat requests received, oldest first (at most {@link #MAX_RECORDS}). */
  public List<RecordedRequest> requests() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  /** Chat requests received, including those past {@link #MAX_RECORDS}. */
  public int requestCount() {
    return requestCount.get();
  }

  /** Chat requests whose connection or stream closed before the mock finished its answer. */
  public int aborted() {
    return aborted.get();
  }

  /** Chat requests received and not yet answered in full, dropped on purpose, or aborted. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Completes once at least {@code n} chat requests have been aborted by their client. */
  public Future<Void> awaitAborted(int n) {
    synchronized (waiters) {
      if (aborted.get() < n) {
        Promise<Void> promise = Promise.promise();
        waiters.add(new AbortWaiter(n, promise));
        return promise.future();
      }
    }
    return Future.succeededFuture();
  }

  /**
   * Clears the queue, the records and the request and abort counters, and sets the default
   * back to {@link Behavior#ok()}. {@link #inFlight()} is a live gauge and is not reset.
   */
  public void reset() {
    queue.clear();
    defaultBehavior = Behavior.ok();
    synchronized (records) {
      records.clear();
    }
    requestCount.set(0);
    aborted.set(0);
  }

  private void handle(HttpServerRequest req) {
    if (req.method() == HttpMethod.GET && "/v1/models".equals(req.path())) {
      req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(OpenAiWire.models(List.of("mock-model"), now(), "mock"));
    } else if (req.method() == HttpMethod.POST && "/v1/chat/completions".equals(req.path())) {
      Exchange ex = new Exchange(req);
      req.body().onSuccess(body -> ex.received(body));
    } else {
      req.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(OpenAiWire.error("mock: no route " + req.path(), "invalid_request_error", null));
    }
  }

  private void onAbort() {
    int count = aborted.incrementAndGet();
    List<Promise<Void>> ready = new ArrayList<>();
    synchronized (waiters) {
      waiters.removeIf(w -> w.count() <= count && ready.add(w.promise()));
    }
    ready.forEach(Promise::tryComplete);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** One chat request and its answer; confined to the server's event loop. */
  private final class Exchange {
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private Behavior behavior;
    private Buffer[] fixedEvents;
    private OpenAiWire.Chunks chunks;
    private OpenAiWire.Usage usage;
    private int total;
    private int sent;
    private Future<Void> lastWrite = Future.succeededFuture();
    private boolean settled;

    Exchange(HttpServerRequest req) {
      this.req = req;
      this.resp = req.response();
      inFlight.incrementAndGet();
      resp.closeHandler(v -> abort());
      resp.exceptionHandler(err -> abort());
    }

    void received(Buffer raw) {
      JsonObject body = parse(raw);
      requestCount.incrementAndGet();
      synchronized (records) {
        if (records.size() < MAX_RECORDS) {
          MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
          records.add(new RecordedRequest(req.method().name(), req.path(), headers, body));
        }
      }
      if (body == null) {
        error(400, "mock: request body is not a JSON object", "invalid_request_error", null, -1);
        return;
      }
      Behavior next = queue.poll();
      behavior = next != null ? next : defaultBehavior;
      if (behavior.headerDelayMs > 0) {
        vertx.setTimer(behavior.headerDelayMs, t -> answer(body));
      } else {
        answer(body);
      }
    }

    private void answer(JsonObject body) {
      if (settled) {
        return;
      }
      Behavior b = behavior;
      long id = ids.incrementAndGet();
      resp.putHeader(REQUEST_ID, "req_mock_" + id);
      switch (b.kind) {
        case HANG -> { }
        case ERROR -> {
          if (b.status == 429) {
            error(429, "mock failure 429", "requests", "rate_limit_exceeded", b.retryAfterSeconds);
          } else {
            String type = b.status >= 500 ? "server_error" : "invalid_request_error";
            error(b.status, "mock failure " + b.status, type, null, -1);
          }
        }
        case MALFORMED_SSE -> {
          fixedEvents = new Buffer[MALFORMED.length];
          for (int i = 0; i < MALFORMED.length; i++) {
            fixedEvents[i] = Buffer.buffer(MALFORMED[i]);
          }
          startStream(MALFORMED.length);
        }
        case OK -> {
          String model = body.getValue("model") instanceof String m ? m : "mock-model";
          usage = b.usage != null ? b.usage
              : OpenAiWire.Usage.estimate(String.valueOf(body.getValue("messages")), b.content);
          if (Boolean.TRUE.equals(body.getValue("stream"))) {
            boolean withUsage = b.alwaysUsage
                || body.getValue("stream_options") instanceof JsonObject o
                    && Boolean.TRUE.equals(o.getValue("include_usage"));
            chunks = OpenAiWire.chunks("chatcmpl-mock-" + id, now(), model, withUsage);
            startStream(b.pieces.length + 3 + (withUsage ? 1 : 0));
          } else {
            String text = String.join("", b.pieces);
            json(OpenAiWire.completion("chatcmpl-mock-" + id, now(), model, text, "stop", usage));
          }
        }
      }
    }

    private void json(Buffer body) {
      resp.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
      if (behavior.stallAfter < 0 && behavior.dropAfter < 0) {
        end(body);
        return;
      }
      // A cut JSON body: announce the full length, send half, then stall or drop.
      resp.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
      lastWrite = resp.write(body.getBuffer(0, body.length() / 2));
      if (behavior.dropAfter >= 0) {
        drop();
      }
    }

    private void error(int status, String message, String type, String code, int retryAfter) {
      resp.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
      if (retryAfter >= 0) {
        resp.putHeader(RETRY_AFTER, String.valueOf(retryAfter));
      }
      end(OpenAiWire.error(message, type, code));
    }

    private void startStream(int events) {
      total = events;
      resp.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, EVENT_STREAM);
      lastWrite = resp.writeHead();
      pump();
    }

    /** Writes events until done, a delay, a full write queue, a stall or a drop. */
    private void pump() {
      while (!settled) {
        if (sent == behavior.stallAfter) {
          return;
        }
        if (sent == behavior.dropAfter) {
          drop();
          return;
        }
        if (sent == total - 1) {
          end(event(sent++));
          return;
        }
        if (resp.writeQueueFull()) {
          resp.drainHandler(v -> {
            resp.drainHandler(null);
            pump();
          });
          return;
        }
        lastWrite = resp.write(event(sent++));
        if (behavior.tokenDelayMs > 0) {
          vertx.setTimer(behavior.tokenDelayMs, t -> pump());
          return;
        }
      }
    }

    private Buffer event(int i) {
      if (fixedEvents != null) {
        return fixedEvents[i];
      }
      String[] pieces = behavior.pieces;
      if (i == 0) {
        return chunks.role();
      } else if (i <= pieces.length) {
        return chunks.content(pieces[i - 1]);
      } else if (i == pieces.length + 1) {
        return chunks.finish("stop");
      } else if (i == total - 1) {
        return OpenAiWire.done();
      }
      return chunks.usage(usage);
    }

    private void end(Buffer last) {
      if (settle()) {
        resp.end(last);
      }
    }

    /** Closes the connection (HTTP/1) or resets the stream (HTTP/2) once flushed. */
    private void drop() {
      if (settle()) {
        lastWrite.onComplete(ar -> resp.reset());
      }
    }

    private void abort() {
      if (settle()) {
        onAbort();
      }
    }

    private boolean settle() {
      if (settled) {
        return false;
      }
      settled = true;
      inFlight.decrementAndGet();
      return true;
    }
  }

  private static JsonObject parse(Buffer raw) {
    try {
      return raw.length() == 0 ? null : raw.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Runs a mock standalone for benchmarks: {@code --port N} (default 0), {@code --content-words
   * N} (default 64), {@code --delay-ms D} between stream events (default 0). Prints
   * {@code mock-upstream listening on <port>} once bound.
   */
  public static void main(String[] args) {
    int port = 0;
    int words = 64;
    long delayMs = 0;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("missing value for " + args[i]);
      }
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--content-words" -> words = Integer.parseInt(args[i + 1]);
        case "--delay-ms" -> delayMs = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    StringBuilder content = new StringBuilder();
    String[] lorem = "lorem ipsum dolor sit amet consectetur adipiscing elit".split(" ");
    for (int i = 0; i < words; i++) {
      content.append(i == 0 ? "" : " ").append(lorem[i % lorem.length]);
    }
    Vertx vertx = Vertx.vertx();
    MockUpstream mock = start(vertx, port).await();
    mock.defaultBehavior(Behavior.ok().content(content.toString()).tokenDelayMs(delayMs));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
    System.out.println("mock-upstream listening on " + mock.port());
  }
}
