package dev.switchboard.edge;

import dev.switchboard.bus.Addresses;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.stats.Usage;
import dev.switchboard.stats.UsageRecord;
import io.vertx.core.eventbus.EventBus;

/** Turns a finished call into one usage record for the stats verticle, and token counts into meters. */
final class UsageReporter {

  private static final String OPENAI_CHAT = "openai-chat";

  private final EventBus bus;
  private final GatewayMetrics metrics;

  UsageReporter(EventBus bus, GatewayMetrics metrics) {
    this.bus = bus;
    this.metrics = metrics;
  }

  void report(Call call, int status, String errorClass) {
    Usage u = call.usage == null ? Usage.NONE : call.usage;
    long ttftMs = call.firstTokenNanos == 0 ? -1 : (call.firstTokenNanos - call.startNanos) / 1_000_000;
    var lease = call.lease;
    // the stats verticle prices the record; only OpenAI Chat Completions on both sides so far
    bus.send(Addresses.USAGE, new UsageRecord(call.requestId, call.startMs, call.key == null ? 0 : call.key.id(),
        call.model, lease == null ? 0 : lease.channelId(), lease == null ? 0 : lease.credentialId(),
        lease == null ? null : lease.upstreamModel(), call.route, call.stream, status, errorClass, call.attempts,
        u.input(), u.output(), u.cached(), u.reasoning(), call.elapsedMs(), ttftMs, call.bytesIn, call.bytesOut)
        .withUsage(u)
        .withOrigin(null, null, OPENAI_CHAT, lease == null ? null : OPENAI_CHAT));
    if (call.usage != null) {
      metrics.tokens(call.model, "input", u.input());
      metrics.tokens(call.model, "output", u.output());
      metrics.tokens(call.model, "cached", u.cached());
      metrics.tokens(call.model, "reasoning", u.reasoning());
    }
  }
}
