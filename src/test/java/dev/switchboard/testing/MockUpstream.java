package dev.switchboard.testing;

import dev.switchboard.demo.OpenAiWire;
import dev.switchboard.testing.wire.AnthropicWire;
import dev.switchboard.testing.wire.Answer;
import dev.switchboard.testing.wire.GeminiWire;
import dev.switchboard.testing.wire.Wire;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A programmable fake LLM upstream for integration tests and benchmarks, on 127.0.0.1. One
 * port serves every protocol the gateway calls, each in its real wire format:
 * <ul>
 *   <li>OpenAI: {@code POST /v1/chat/completions} (JSON or SSE), {@code POST /v1/embeddings},
 *       {@code GET /v1/models};
 *   <li>OpenAI Responses: {@code POST /v1/responses} (JSON or named SSE events);
 *   <li>Azure OpenAI: {@code POST /openai/deployments/{d}/chat/completions?api-version=...}
 *       and {@code .../embeddings}; 401 without {@code api-key}, 404 without
 *       {@code api-version};
 *   <li>Anthropic: {@code POST /v1/messages}, {@code POST /v1/messages/count_tokens},
 *       {@code GET /v1/models} with {@code anthropic-version}; 400 without that header;
 *   <li>Gemini: {@code POST /v1beta/models/{m}:generateContent}, {@code :streamGenerateContent}
 *       (SSE with {@code alt=sse}, else a streamed JSON array), {@code :countTokens},
 *       {@code :embedContent}, {@code :batchEmbedContents}, {@code GET /v1beta/models}.
 * </ul>
 *
 * <p>Each POST takes the next {@link Behavior} from a FIFO filled by {@link #enqueue}, or the
 * {@link #defaultBehavior} when the FIFO is empty, and is recorded; model lists are neither.
 * All public methods are thread-safe: tests call them from the JUnit thread while the server
 * runs on its event loop. Counters count from start or the last {@link #reset()}.
 */
public final class MockUpstream {

  /** Beyond this many recorded requests, requests are counted but no longer kept. */
  public static final int MAX_RECORDS = 10_000;

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("retry-after");
  private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("x-request-id");
  private static final CharSequence ANTHROPIC_VERSION =
      HttpHeaders.createOptimized("anthropic-version");
  private static final List<String> MODELS = List.of("mock-model");
  /** Anthropic and Gemini pages hold at most this many models, whatever the client asks: paging is exercised. */
  public static final int PAGE_CAP = 20;

  private final Vertx vertx;
  private final Queue<Behavior> queue = new ConcurrentLinkedQueue<>();
  private final List<RecordedRequest> records = new ArrayList<>();
  private final List<AbortWaiter> waiters = new ArrayList<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger aborted = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong();
  private volatile Behavior defaultBehavior = Behavior.ok();
  /** What {@code GET /models} lists, in each protocol's shape (Anthropic and Gemini paged). */
  private volatile List<String> listed = MODELS;
  /** When not 0, model listings fail with this status, echoing the credential they were sent. */
  private volatile int listingStatus;
  private final List<RecordedRequest> listings = new ArrayList<>();
  /** While set, answers wait for it: requests are received, counted and recorded, then held. */
  private volatile Promise<Void> gate;
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

  /** {@code http://127.0.0.1:<port>}: the Azure OpenAI base, and the root of every route. */
  public String root() {
    return "http://127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:<port>/v1}: the base for OpenAI (Chat, Responses) and Anthropic. */
  public String baseUrl() {
    return root() + "/v1";
  }

  /** {@code http://127.0.0.1:<port>/v1beta}: the Gemini base. */
  public String geminiBaseUrl() {
    return root() + "/v1beta";
  }

  /** {@code http://127.0.0.1:<port>}: Azure paths start with {@code /openai/deployments/}. */
  public String azureBaseUrl() {
    return root();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** The behaviour used when the queue is empty (initially {@link Behavior#ok()}). */
  public MockUpstream defaultBehavior(Behavior behavior) {
    this.defaultBehavior = behavior;
    return this;
  }

  /** Queues behaviours, each consumed by one POST request, in order. */
  public MockUpstream enqueue(Behavior... behaviors) {
    queue.addAll(List.of(behaviors));
    return this;
  }

  /**
   * Holds every answer from now on until {@link #release()}: requests are still received,
   * counted and recorded (and stay in {@link #inFlight()}), so a test can see exactly which
   * requests got through before any of them finished.
   */
  public synchronized MockUpstream hold() {
    if (gate == null) gate = Promise.promise();
    return this;
  }

  /** Lets the held answers go, each after its behaviour's own delays; later requests are answered at once. */
  public void release() {
    Promise<Void> g;
    synchronized (this) {
      g = gate;
      gate = null;
    }
    if (g != null) g.tryComplete();
  }

  /** POST requests received, oldest first (at most {@link #MAX_RECORDS}). */
  public List<RecordedRequest> requests() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  /** POST requests received, including those past {@link #MAX_RECORDS}. */
  public int requestCount() {
    return requestCount.get();
  }

  /** POST requests whose connection or stream closed before the mock finished its answer. */
  public int aborted() {
    return aborted.get();
  }

  /** POST requests received and not yet answered in full, dropped on purpose, or aborted. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Completes once at least {@code n} POST requests have been aborted by their client. */
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
  /** The models {@code GET /models} lists from now on (default: {@code mock-model}). */
  public MockUpstream listModels(String... ids) {
    listed = List.of(ids);
    return this;
  }

  /**
   * Model listings fail with {@code status} (0: they succeed again); the error message repeats
   * the credential the request carried, as some upstreams do.
   */
  public MockUpstream failListings(int status) {
    listingStatus = status;
    return this;
  }

  /** Every model listing request received, in order (kept apart from {@link #requests()}). */
  public List<RecordedRequest> listings() {
    synchronized (listings) {
      return List.copyOf(listings);
    }
  }

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
    Route route = Route.match(req.method(), req.path(), req.headers().contains(ANTHROPIC_VERSION));
    if (route == null) {
      req.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(OpenAiWire.error("mock: no route " + req.path(), "invalid_request_error", null));
    } else if (route.endpoint() == Route.Endpoint.MODELS) {
      listModels(req, route);
    } else {
      Exchange ex = new Exchange(req, route);
      req.body().onSuccess(body -> ex.received(body));
    }
  }

  private void listModels(HttpServerRequest req, Route route) {
    synchronized (listings) {
      listings.add(new RecordedRequest(req.method().name(), req.path(), req.query(),
          MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), null, route.protocol()));
    }
    List<String> ids = listed;
    int failing = listingStatus;
    if (failing != 0) {
      String key = String.valueOf(req.headers().get("authorization") != null ? req.headers().get("authorization")
          : req.headers().get("x-api-key") != null ? req.headers().get("x-api-key") : req.headers().get("x-goog-api-key"));
      req.response().setStatusCode(failing).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
          .end(OpenAiWire.error("Incorrect API key provided: " + key, "invalid_request_error", "invalid_api_key"));
      return;
    }
    req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(switch (route.protocol()) {
      case ANTHROPIC -> AnthropicWire.models(ids, req.getParam("after_id"), Math.min(PAGE_CAP, intParam(req, "limit", 20)));
      case GEMINI -> GeminiWire.models(ids, req.getParam("pageToken"), Math.min(PAGE_CAP, intParam(req, "pageSize", 50)));
      default -> OpenAiWire.models(ids, now(), "mock");
    });
  }

  private static int intParam(HttpServerRequest req, String name, int dflt) {
    try {
      return req.getParam(name) == null ? dflt : Math.max(1, Integer.parseInt(req.getParam(name)));
    } catch (NumberFormatException e) {
      return dflt;
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

  /** One request and its answer; confined to the server's event loop. */
  private final class Exchange {
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private final Route route;
    private final Wire wire;
    private Behavior behavior;
    private List<Buffer> events;
    private int closingStart;
    private int sent;
    private Future<Void> lastWrite = Future.succeededFuture();
    private boolean settled;

    Exchange(HttpServerRequest req, Route route) {
      this.req = req;
      this.resp = req.response();
      this.route = route;
      this.wire = route.wire(req.query());
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
          records.add(new RecordedRequest(req.method().name(), req.path(), req.query(), headers,
              body, route.protocol()));
        }
      }
      if (body == null) {
        fail(wire.failure(400, "mock: request body is not a JSON object", -1));
        return;
      }
      Wire.Failure refused = route.precheck(wire, req);
      if (refused != null) {
        fail(refused);
        return;
      }
      Behavior next = queue.poll();
      behavior = next != null ? next : defaultBehavior;
      Promise<Void> held = gate;
      if (held != null) {
        Context context = vertx.getOrCreateContext();
        held.future().onComplete(v -> context.runOnContext(x -> proceed(body)));
        return;
      }
      proceed(body);
    }

    private void proceed(JsonObject body) {
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
      for (Map.Entry<String, String> required : b.requiredHeaders.entrySet()) {
        if (!required.getValue().equals(req.getHeader(required.getKey()))) {
          fail(route.unauthorized(wire, "mock: missing or wrong " + required.getKey(), required.getKey()));
          return;
        }
      }
      switch (b.kind) {
        case HANG -> { }
        case ERROR -> fail(wire.failure(b.status, "mock failure " + b.status, b.retryAfterSeconds));
        case MALFORMED_SSE -> startStream(wire.malformedStream());
        case OK -> {
          if (route.endpoint() == Route.Endpoint.GENERATE
              || route.endpoint() == Route.Endpoint.STREAM_GENERATE) {
            generate(body, id);
          } else {
            json(route.utility(body));
          }
        }
      }
    }

    private void generate(JsonObject body, long id) {
      Behavior b = behavior;
      String model = body.getValue("model") instanceof String m ? m
          : route.pathModel() != null ? route.pathModel() : "mock-model";
      Answer answer = new Answer(id, now(), model, b.pieces, b.thinkingPieces, b.toolCalls,
          b.usageFor(route.promptText(body)), route.includeUsage(body, b.alwaysUsage));
      if (!route.streams(body)) {
        if (b.failAfter >= 0) {
          fail(wire.failure(b.failStatus, "mock failure " + b.failStatus, -1));
        } else {
          json(wire.message(answer));
        }
        return;
      }
      List<Buffer> stream = wire.stream(answer);
      if (b.failAfter >= 0 && b.failAfter < stream.size()) {
        stream = new ArrayList<>(stream.subList(0, b.failAfter));
        stream.add(wire.streamError(answer, b.failAfter, b.failStatus,
            "mock failure " + b.failStatus));
      }
      startStream(stream);
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

    private void fail(Wire.Failure failure) {
      resp.setStatusCode(failure.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
      if (failure.retryAfter() != null) {
        resp.putHeader(RETRY_AFTER, failure.retryAfter());
      }
      end(failure.body());
    }

    private void startStream(List<Buffer> events) {
      this.events = events;
      this.closingStart = Wire.closingStart(events);
      resp.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, wire.streamContentType());
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
        if (sent == events.size() - 1) {
          end(events.get(sent++));
          return;
        }
        if (resp.writeQueueFull()) {
          resp.drainHandler(v -> {
            resp.drainHandler(null);
            pump();
          });
          return;
        }
        lastWrite = resp.write(events.get(sent++));
        if (behavior.tokenDelayMs > 0 && !(behavior.closingAtOnce && sent >= closingStart)) {
          vertx.setTimer(behavior.tokenDelayMs, t -> pump());
          return;
        }
      }
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
   * N} (default 64), {@code --delay-ms D} between stream events (default 0) up to the last
   * content event, the closing events (finish, usage, {@code [DONE]}) following it at once as the
   * real APIs send them, or between all events with {@code --delay-closing true}. Prints
   * {@code mock-upstream listening on <port>} once bound.
   */
  public static void main(String[] args) {
    int port = 0;
    int words = 64;
    long delayMs = 0;
    boolean delayClosing = false;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 == args.length) {
        throw new IllegalArgumentException("missing value for " + args[i]);
      }
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--content-words" -> words = Integer.parseInt(args[i + 1]);
        case "--delay-ms" -> delayMs = Long.parseLong(args[i + 1]);
        case "--delay-closing" -> delayClosing = Boolean.parseBoolean(args[i + 1]);
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
    Behavior answer = Behavior.ok().content(content.toString()).tokenDelayMs(delayMs);
    mock.defaultBehavior(delayClosing ? answer : answer.closingAtOnce());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
    System.out.println("mock-upstream listening on " + mock.port());
  }
}
