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

  private final PrometheusMeterRegistry registry;
  private final AtomicInteger activeStreams = new AtomicInteger();
  private final ConcurrentHashMap<String, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> upstreamLatency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> ttft = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> tokens = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> truncations = new ConcurrentHashMap<>();
  private final DistributionSummary requestBytes;
  private final ConcurrentHashMap<String, Counter> healthTransitions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> benched = new ConcurrentHashMap<>();

  public GatewayMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("switchboard_active_streams", activeStreams, AtomicInteger::get)
        .description("SSE streams being relayed right now").register(registry);
    this.requestBytes = DistributionSummary.builder("switchboard_request_body_bytes")
        .description("Client request body sizes").baseUnit("bytes").register(registry);
  }

  public static GatewayMetrics standalone() {
    return new GatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void request(String route, String model, String channel, int status) {
    requests.computeIfAbsent(route + '\0' + model + '\0' + channel + '\0' + status, k -> Counter
        .builder("switchboard_requests_total").description("Client requests by route, model, channel and final status")
        .tags("route", route, "model", model, "channel", channel, "status", Integer.toString(status))
        .register(registry)).increment();
  }

  public void upstreamLatency(String channel, long nanos) {
    upstreamLatency.computeIfAbsent(channel, c -> Timer.builder("switchboard_upstream_latency")
        .description("Time from sending a request upstream to its response head")
        .tags("channel", c).serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void timeToFirstToken(String model, long nanos) {
    ttft.computeIfAbsent(model, m -> Timer.builder("switchboard_time_to_first_token")
        .description("Time from the client's request to the first streamed event")
        .tags("model", m).serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void tokens(String model, String type, long count) {
    if (count <= 0) return;
    tokens.computeIfAbsent(model + '\0' + type, k -> Counter.builder("switchboard_tokens_total")
        .description("Tokens by model and type (input, output, cached, reasoning)")
        .tags("model", model, "type", type).register(registry)).increment(count);
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

  /** How many (credential, model) benches of a state ({@code cooling}, {@code open}, {@code disabled}) are in force. */
  public void benched(String state, int count) {
    benched.computeIfAbsent(state, s -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder("switchboard_benched_targets", value, AtomicInteger::get)
          .description("Upstream credentials out of rotation, by kind of bench").tags("state", s).register(registry);
      return value;
    }).set(count);
  }

  public void requestBytes(long bytes) {
    requestBytes.record(bytes);
  }

  public void streamStarted() {
    activeStreams.incrementAndGet();
  }

  public void streamEnded() {
    activeStreams.decrementAndGet();
  }
}
