package dev.switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own Prometheus meters. Label values are bounded by the caller: routes are
 * fixed, models and channels are the configured ones (anything else is {@code unknown}), and
 * statuses are HTTP codes. Meters are looked up once per label set and cached.
 */
public final class GatewayMetrics {

  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
      Duration.ofSeconds(60), Duration.ofSeconds(120)};

  /** Bucket boundaries the GenAI semantic conventions advise. */
  private static final double[] GEN_AI_TOKENS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
      4194304, 16777216, 67108864};
  private static final Duration[] GEN_AI_SECONDS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
      5.12, 10.24, 20.48, 40.96, 81.92);
  private static final Duration[] GEN_AI_TTFT_SECONDS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
      0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final Duration[] GEN_AI_PER_TOKEN_SECONDS = seconds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
      0.4, 0.5, 0.75, 1.0, 2.5);

  private final PrometheusMeterRegistry registry;
  private final AtomicInteger activeStreams = new AtomicInteger();
  /**
   * Meter caches are keyed by records of the label values, not by concatenated strings: the
   * lookups happen several times per request, and a record key neither builds a string nor
   * hashes its characters again (String caches its hash).
   */
  private record Labels(String a, String b, String c, int n) {}

  private final ConcurrentHashMap<Labels, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> upstreamLatency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> ttft = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Counter> tokens = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> truncations = new ConcurrentHashMap<>();
  private final DistributionSummary requestBytes;
  private final Counter keepAlives;
  private final ConcurrentHashMap<String, Counter> healthTransitions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> peerHealthTransitions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> benched = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, DistributionSummary> genAiTokens = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Timer> genAiDuration = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Timer> genAiTtft = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Labels, Timer> genAiPerToken = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> cost = new ConcurrentHashMap<>();

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("switchboard_active_streams", activeStreams, AtomicInteger::get)
        .description("SSE streams being relayed right now").register(registry);
    this.requestBytes = DistributionSummary.builder("switchboard_request_body_bytes")
        .description("Client request body sizes").baseUnit("bytes").register(registry);
    this.keepAlives = Counter.builder("switchboard_stream_keepalives_total")
        .description("Keep-alive events sent across upstream silences").register(registry);
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    return out;
  }

  public static GatewayMetrics standalone() {
    return new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void request(String route, String model, String channel, int status) {
    Labels labels = new Labels(route, model, channel, status);
    Counter counter = requests.get(labels);
    if (counter == null) counter = requests.computeIfAbsent(labels, k -> Counter
        .builder("switchboard_requests_total").description("Client requests by route, model, channel and final status")
        .tags("route", route, "model", model, "channel", channel, "status", Integer.toString(status))
        .register(registry));
    counter.increment();
  }

  public void upstreamLatency(String channel, long nanos) {
    Timer timer = upstreamLatency.get(channel);
    if (timer == null) timer = upstreamLatency.computeIfAbsent(channel, c -> Timer.builder("switchboard_upstream_latency")
        .description("Time from sending a request upstream to its response head")
        .tags("channel", c).serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void timeToFirstToken(String model, long nanos) {
    ttft.computeIfAbsent(model, m -> Timer.builder("switchboard_time_to_first_token")
        .description("Time from the client's request to the first streamed event")
        .tags("model", m).serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void tokens(String model, String type, long count) {
    if (count <= 0) return;
    Labels labels = new Labels(model, type, null, 0);
    Counter counter = tokens.get(labels);
    if (counter == null) counter = tokens.computeIfAbsent(labels, k -> Counter.builder("switchboard_tokens_total")
        .description("Tokens by model and type (input, output, cached, reasoning)")
        .tags("model", model, "type", type).register(registry));
    counter.increment(count);
  }

  /** A stream that ended without its proper end, by reason. */
  public void truncated(String reason) {
    truncations.computeIfAbsent(reason, r -> Counter.builder("switchboard_stream_truncations_total")
        .description("Streams that ended early, by reason").tags("reason", r).register(registry)).increment();
  }

  /**
   * A health transition of a credential (and model): {@code cooling}, {@code ready}, {@code open},
   * {@code half_open}, {@code closed}, {@code disabled}, {@code enabled}.
   */
  public void healthTransition(String to) {
    healthTransitions.computeIfAbsent(to, t -> Counter.builder("switchboard_health_transitions_total")
        .description("Health transitions of upstream credentials, by the state entered").tags("to", t)
        .register(registry)).increment();
  }

  /**
   * A health transition another instance made and shared through Redis (or that follows from one
   * of its benches here: cooled down, half-open); kept apart so a transition is counted once in
   * {@code switchboard_health_transitions_total}, by the instance where it happened.
   */
  public void peerHealthTransition(String to) {
    peerHealthTransitions.computeIfAbsent(to, t -> Counter.builder("switchboard_health_peer_transitions_total")
        .description("Health transitions received from other gateway instances, by the state entered").tags("to", t)
        .register(registry)).increment();
  }

  /** How many (credential, model) benches of a state ({@code cooling}, {@code open}, {@code disabled}) are in force. */
  public void benched(String state, int count) {
    benched.computeIfAbsent(state, s -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("switchboard_benched_targets", value, AtomicInteger::get)
          .description("Upstream credentials out of rotation, by kind of bench").tags("state", s).register(registry);
      return value;
    }).set(count);
  }

  /**
   * The OpenTelemetry GenAI meters of one finished request, in Prometheus names:
   * {@code gen_ai_client_token_usage} (histogram of tokens per request, {@code gen_ai_token_type}
   * {@code input} or {@code output}), {@code gen_ai_server_request_duration_seconds},
   * {@code gen_ai_server_time_to_first_token_seconds} (streams) and
   * {@code gen_ai_server_time_per_output_token_seconds} (streams with at least two output
   * tokens: the time after the first token over the tokens after it), all labelled
   * {@code gen_ai_operation_name} and {@code gen_ai_request_model}; plus
   * {@code switchboard_cost_total} by model. {@code model} must be a configured model.
   */
  public void genAiUsage(String operation, String model, boolean ok, long inputTokens, long outputTokens,
      long durationMs, long ttftMs, long costNanos) {
    Labels key = new Labels(operation, model, null, 0);
    if (ok) {
      genAiTokens(operation, model, "input").record(inputTokens);
      genAiTokens(operation, model, "output").record(outputTokens);
    }
    String errorType = ok ? "none" : "error";
    genAiDuration.computeIfAbsent(new Labels(operation, model, errorType, 0), k -> Timer.builder("gen_ai.server.request.duration")
        .description("GenAI request duration, client request to last byte")
        .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model, "error.type", errorType)
        .serviceLevelObjectives(GEN_AI_SECONDS).register(registry)).record(Math.max(0, durationMs), TimeUnit.MILLISECONDS);
    if (ok && ttftMs >= 0) {
      genAiTtft.computeIfAbsent(key, k -> Timer.builder("gen_ai.server.time_to_first_token")
          .description("Time to the first output token of a stream")
          .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model)
          .serviceLevelObjectives(GEN_AI_TTFT_SECONDS).register(registry)).record(ttftMs, TimeUnit.MILLISECONDS);
      if (outputTokens > 1 && durationMs > ttftMs) {
        long perTokenNanos = (durationMs - ttftMs) * 1_000_000 / (outputTokens - 1);
        genAiPerToken.computeIfAbsent(key, k -> Timer.builder("gen_ai.server.time_per_output_token")
            .description("Time per output token after the first one, of a stream")
            .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model)
            .serviceLevelObjectives(GEN_AI_PER_TOKEN_SECONDS).register(registry))
            .record(perTokenNanos, TimeUnit.NANOSECONDS);
      }
    }
    if (costNanos > 0) {
      cost.computeIfAbsent(model, m -> Counter.builder("switchboard_cost")
          .description("Cost of requests in the price currency (USD for the synced catalogue), by model")
          .tags("model", m).register(registry)).increment(costNanos / 1e9);
    }
  }

  private DistributionSummary genAiTokens(String operation, String model, String type) {
    Labels labels = new Labels(operation, model, type, 0);
    DistributionSummary summary = genAiTokens.get(labels);
    return summary != null ? summary : genAiTokens.computeIfAbsent(labels, k -> DistributionSummary.builder("gen_ai.client.token.usage")
        .description("Tokens per request, by type (input includes cached tokens, output reasoning tokens)")
        .tags("gen_ai.operation.name", operation, "gen_ai.request.model", model, "gen_ai.token.type", type)
        .serviceLevelObjectives(GEN_AI_TOKENS).register(registry));
  }

  public void requestBytes(long bytes) {
    requestBytes.record(bytes);
  }

  public void streamStarted() {
    activeStreams.incrementAndGet();
  }

  public void keepAlive() {
    keepAlives.increment();
  }

  public void streamEnded() {
    activeStreams.decrementAndGet();
  }
}
