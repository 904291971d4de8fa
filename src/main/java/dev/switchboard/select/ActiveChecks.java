package dev.switchboard.select;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.function.Consumer;

/**
 * Optional active health checks: a disabled credential due for its probe is checked with a
 * cheap request instead of a client's. The probe is claimed first (so no client request probes
 * at the same time); 2xx enables the credential, 401/403 keeps it disabled, anything else
 * gives the claim back and leaves the probe to the next client request (with shared health the
 * claim is also taken across instances, so one instance checks). Per-model circuits are
 * left to client probes: a model listing says nothing about one model's health.
 */
final class ActiveChecks {

  /** The request that checks a credential, or null when its channel type has none. */
  @FunctionalInterface
  interface Probe {
    RequestOptions request(Lease lease);
  }

  /** OpenAI-compatible channels: {@code GET {baseUrl}/models}. */
  static final Probe OPENAI_MODELS = lease -> {
    if (!"openai".equals(lease.channelType())) return null;
    RequestOptions r = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(lease.baseUrl() + "/models");
    if (lease.secret() != null && !lease.secret().isEmpty()) r.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + lease.secret());
    return r;
  };

  private final HttpClient client;
  private final Probe probe;
  private final long timeoutMs;
  private final HealthShare share;

  ActiveChecks(Vertx vertx, long connectTimeoutMs, long timeoutMs, Probe probe) {
    this(vertx, connectTimeoutMs, timeoutMs, probe, HealthShare.none());
  }

  /** With {@code share}, a probe is also claimed across instances: one of them checks a credential. */
  ActiveChecks(Vertx vertx, long connectTimeoutMs, long timeoutMs, Probe probe, HealthShare share) {
    this.share = share;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMs)));
    this.probe = probe;
    this.timeoutMs = timeoutMs;
  }

  /** Probes what is due in the snapshot; each answer is reported as an outcome (on the caller's context). */
  Future<Void> run(PoolSnapshot snapshot, long now, Consumer<Outcome> report) {
    Future<Void> all = Future.succeededFuture();
    for (PoolSnapshot.Due due : snapshot.disabledDue(now)) {
      RequestOptions request = probe.request(due.lease());
      if (request == null || !due.bench().claimProbe(now)) continue;
      // another instance's claim: keep ours until its answer reaches this instance
      Future<Void> one = share.claimProbe(due.bench(), due.bench().probeTimeoutMs())
          .compose(mine -> mine ? check(due, request, report) : Future.succeededFuture());
      all = all.compose(v -> one);
    }
    return all;
  }

  private Future<Void> check(PoolSnapshot.Due due, RequestOptions request, Consumer<Outcome> report) {
    long started = System.nanoTime();
    return client.request(request.setIdleTimeout(timeoutMs))
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp)))
        .map(HttpClientResponse::statusCode)
        .transform(ar -> {
          int status = ar.succeeded() ? ar.result() : 0;
          Outcome.Kind kind = Outcome.classify(status);
          if (status > 0 && status < 300 || kind == Outcome.Kind.AUTH_FAILED) {
            report.accept(Outcome.of(due.lease(), kind, status, -1, (System.nanoTime() - started) / 1_000_000));
          } else {
            due.bench().probe().set(0); // inconclusive: a client request may probe
          }
          return Future.<Void>succeededFuture();
        });
  }

  Future<Void> close() {
    return client.close();
  }
}
