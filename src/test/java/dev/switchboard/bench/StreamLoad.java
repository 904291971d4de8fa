package dev.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load client for SSE benchmarks, run from the test classpath by {@code benchmarks/run.sh}.
 *
 * <ul>
 *   <li>{@code --mode loop}: keeps {@code --streams N} streams open for {@code --duration-s};
 *       each finished stream is replaced at once. Reports time to first event, total stream
 *       time, events relayed per second and failed streams (non-200, error, or no
 *       {@code [DONE]}).
 *   <li>{@code --mode hold}: opens {@code --streams N} streams at once, waits until each has
 *       its first event (or {@code --open-timeout-s}), holds them {@code --hold-s}, counts the
 *       ones cut meanwhile, then closes all. Prints {@code HOLDING} when the hold starts so the
 *       caller can sample the subject.
 * </ul>
 * {@code --warmup-s W} runs the loop for W seconds first and forgets what it measured. Prints
 * one JSON line, prefixed {@code RESULT }, to stdout.
 */
public final class StreamLoad {

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final RequestOptions request;
  private final Buffer body;

  private final Samples ttfb = new Samples();
  private final Samples total = new Samples();
  private final AtomicLong events = new AtomicLong();
  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private final AtomicInteger cut = new AtomicInteger();
  private volatile String firstError;
  private volatile long deadline;
  private volatile boolean holding;

  private StreamLoad(Vertx vertx, int streams, RequestOptions request, Buffer body) {
    this.vertx = vertx;
    this.request = request;
    this.body = body;
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(30_000)
            .setIdleTimeout(0))
        .with(new PoolOptions().setHttp1MaxSize(streams).setMaxWaitQueueSize(-1))
        .build();
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    String bodyFile = null;
    String mode = "loop";
    String label = "";
    int streams = 100;
    int durationS = 10;
    int warmupS = 0;
    int holdS = 20;
    int openTimeoutS = 60;
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST);
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--url" -> url = v;
        case "--body-file" -> bodyFile = v;
        case "--mode" -> mode = v;
        case "--label" -> label = v;
        case "--streams" -> streams = Integer.parseInt(v);
        case "--duration-s" -> durationS = Integer.parseInt(v);
        case "--warmup-s" -> warmupS = Integer.parseInt(v);
        case "--hold-s" -> holdS = Integer.parseInt(v);
        case "--open-timeout-s" -> openTimeoutS = Integer.parseInt(v);
        case "--header" -> {
          int colon = v.indexOf(':');
          ro.addHeader(v.substring(0, colon).trim(), v.substring(colon + 1).trim());
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ro.setAbsoluteURI(url).putHeader("content-type", "application/json");
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(bodyFile)));
    Vertx vertx = Vertx.vertx();
    StreamLoad load = new StreamLoad(vertx, streams, ro, body);
    if (warmupS > 0 && !mode.equals("hold")) {
      load.loop(streams, warmupS, label);
      load.reset();
    }
    String json = mode.equals("hold")
        ? load.hold(streams, openTimeoutS, holdS, label)
        : load.loop(streams, durationS, label);
    System.out.println("RESULT " + json);
    vertx.close().await(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  private String loop(int streams, int durationS, String label) throws InterruptedException {
    long start = System.nanoTime();
    deadline = start + TimeUnit.SECONDS.toNanos(durationS);
    CountDownLatch done = new CountDownLatch(streams);
    for (int i = 0; i < streams; i++) {
      vertx.runOnContext(v -> next(done));
    }
    boolean finished = done.await(durationS + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    return "{\"label\":\"" + label + "\",\"mode\":\"loop\",\"streams\":" + streams
        + ",\"elapsed_s\":" + round(elapsed) + ",\"ok\":" + ok.get() + ",\"failed\":" + failed.get()
        + ",\"unfinished\":" + !finished + ",\"events\":" + events.get()
        + ",\"events_per_s\":" + round(events.get() / elapsed)
        + ",\"streams_per_s\":" + round(ok.get() / elapsed)
        + ",\"ttfb_ms\":" + ttfb.summary() + ",\"total_ms\":" + total.summary()
        + ",\"first_error\":" + quote(firstError) + "}";
  }

  private void reset() {
    ttfb.clear();
    total.clear();
    events.set(0);
    ok.set(0);
    failed.set(0);
    firstError = null;
  }

  private void next(CountDownLatch done) {
    if (System.nanoTime() >= deadline) {
      done.countDown();
      return;
    }
    one().onComplete(ar -> next(done));
  }

  private String hold(int streams, int openTimeoutS, int holdS, String label) throws InterruptedException {
    long start = System.nanoTime();
    CountDownLatch first = new CountDownLatch(streams);
    for (int i = 0; i < streams; i++) {
      one(first);
    }
    boolean all = first.await(openTimeoutS, TimeUnit.SECONDS);
    double openS = (System.nanoTime() - start) / 1e9;
    int failedBefore = failed.get();
    holding = true;
    System.out.println("HOLDING " + opened.get());
    System.out.flush();
    vertx.timer(holdS, TimeUnit.SECONDS).await();
    holding = false;
    int alive = opened.get() - cut.get();
    return "{\"label\":\"" + label + "\",\"mode\":\"hold\",\"streams\":" + streams
        + ",\"opened\":" + opened.get() + ",\"all_opened\":" + all + ",\"open_s\":" + round(openS)
        + ",\"failed_opening\":" + failedBefore + ",\"cut_while_held\":" + cut.get()
        + ",\"alive_at_end\":" + alive + ",\"hold_s\":" + holdS + ",\"events\":" + events.get()
        + ",\"ttfb_ms\":" + ttfb.summary() + ",\"first_error\":" + quote(firstError) + "}";
  }

  private Future<Void> one() {
    return one(null);
  }

  /** One stream; completes when it ends, successfully or not. */
  private Future<Void> one(CountDownLatch firstEvent) {
    long t0 = System.nanoTime();
    return client.request(request)
        .compose(req -> req.send(body))
        .compose(resp -> {
          if (resp.statusCode() != 200) {
            return resp.body().compose(b -> Future.failedFuture("status " + resp.statusCode() + ": "
                + b.toString().substring(0, Math.min(200, b.length()))));
          }
          return read(resp, t0, firstEvent);
        })
        .andThen(ar -> {
          if (ar.succeeded()) {
            ok.incrementAndGet();
            total.add(System.nanoTime() - t0);
          } else {
            if (firstError == null) firstError = String.valueOf(ar.cause());
            failed.incrementAndGet();
            if (firstEvent != null && ar.cause() != null && !(ar.cause() instanceof Cut)) {
              firstEvent.countDown();
            }
          }
        })
        .mapEmpty();
  }

  private Future<Void> read(HttpClientResponse resp, long t0, CountDownLatch firstEvent) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    long[] count = {0};
    boolean[] state = {false, false, true}; // seen first byte, saw [DONE], last byte was a newline
    byte[] tail = new byte[8];
    int[] tailLen = {0};
    resp.handler(chunk -> {
      if (!state[0]) {
        state[0] = true;
        ttfb.add(System.nanoTime() - t0);
        if (firstEvent != null) {
          opened.incrementAndGet();
          firstEvent.countDown();
        }
      }
      int len = chunk.length();
      for (int i = 0; i < len; i++) {
        byte b = chunk.getByte(i);
        if (b == '\n') {
          if (state[2]) count[0]++;
          state[2] = true;
        } else if (b != '\r') {
          state[2] = false;
        }
      }
      if (!state[1]) {
        Buffer window = Buffer.buffer(tailLen[0] + len).appendBytes(tail, 0, tailLen[0]).appendBuffer(chunk);
        if (window.toString().contains("[DONE]")) state[1] = true;
        int keep = Math.min(tail.length, window.length());
        window.getBytes(window.length() - keep, window.length(), tail, 0);
        tailLen[0] = keep;
      }
    });
    resp.exceptionHandler(err -> {
      events.addAndGet(count[0]);
      if (state[0] && holding) cut.incrementAndGet();
      done.tryFail(state[0] ? new Cut(err.toString()) : err);
    });
    resp.endHandler(v -> {
      events.addAndGet(count[0]);
      if (state[1]) {
        done.tryComplete();
      } else {
        if (holding) cut.incrementAndGet();
        done.tryFail(new Cut("stream ended without [DONE] after " + count[0] + " events"));
      }
    });
    return done.future();
  }

  /** A stream that started and then broke. */
  private static final class Cut extends RuntimeException {
    Cut(String message) {
      super(message, null, false, false);
    }
  }

  /** Durations in nanoseconds, appended from any event loop. */
  private static final class Samples {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = nanos;
    }

    synchronized void clear() {
      size = 0;
    }

    synchronized String summary() {
      if (size == 0) return "null";
      long[] v = Arrays.copyOf(values, size);
      Arrays.sort(v);
      return "{\"n\":" + size + ",\"p50\":" + ms(v, 0.50) + ",\"p90\":" + ms(v, 0.90) + ",\"p99\":" + ms(v, 0.99)
          + ",\"p999\":" + ms(v, 0.999) + ",\"max\":" + round(v[size - 1] / 1e6) + "}";
    }

    private static double ms(long[] sorted, double q) {
      int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
      return round(sorted[Math.max(0, i)] / 1e6);
    }
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }

  private static String quote(String s) {
    if (s == null) return "null";
    return "\"" + s.replace("\\", "\\\\").replace("\"", "'").replace("\n", " ") + "\"";
  }
}
