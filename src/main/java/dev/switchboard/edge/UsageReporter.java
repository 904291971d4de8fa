package dev.switchboard.edge;

import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.Batcher;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.stats.RouteTrail;
import dev.switchboard.stats.Usage;
import dev.switchboard.stats.UsageRecord;
import io.vertx.core.Vertx;

/** Turns a finished call into one usage record for the stats verticle, and token counts into meters. */
final class UsageReporter {


  /** Records for the stats verticle, one bus message per event-loop turn. */
  private final Batcher bus;
  private final GatewayMetrics metrics;

  UsageReporter(Vertx vertx, GatewayMetrics metrics) {
    this.bus = new Batcher(vertx, Addresses.USAGE);
    this.metrics = metrics;
  }

  void report(Call call, int status, String errorClass) {
    Usage u = call.usage == null ? Usage.NONE : call.usage;
    long ttftMs = call.firstTokenNanos == 0 ? -1 : (call.firstTokenNanos - call.startNanos) / 1_000_000;
    var lease = call.lease;
    RouteTrail trail = call.trail.freeze();
    // the stats verticle prices the record
    bus.send(new UsageRecord(call.requestId, call.startMs, call.key == null ? 0 : call.key.id(),
        call.model, lease == null ? 0 : lease.channelId(), lease == null ? 0 : lease.credentialId(),
        lease == null ? null : lease.upstreamModel(), call.route, call.stream, status, errorClass, call.attempts,
        u.input(), u.output(), u.cached(), u.reasoning(), call.elapsedMs(), ttftMs, call.bytesIn, call.bytesOut)
        .withUsage(u)
        .withOrigin(null, trail.group(), call.clientProtocol == null ? null : call.clientProtocol.id(),
            lease == null || call.upstreamProtocol == null ? null : call.upstreamProtocol.id())
        .withTrail(trail));
    if (call.usage != null) {
      metrics.tokens(call.model, "input", u.input());
      metrics.tokens(call.model, "output", u.output());
      metrics.tokens(call.model, "cached", u.cached());
      metrics.tokens(call.model, "reasoning", u.reasoning());
    }
  }
}
