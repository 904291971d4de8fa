package dev.switchboard.edge;

import dev.switchboard.select.Dispatcher;
import dev.switchboard.select.Lease;
import dev.switchboard.stats.Usage;
import dev.switchboard.store.ClientKey;
import dev.switchboard.translate.ParsedRequest;
import dev.switchboard.translate.Protocol;
import io.vertx.core.buffer.Buffer;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;

/** The mutable state of one client request as it moves through the edge. Event-loop confined. */
final class Call {

  final String requestId;
  final String route;
  final long startNanos = System.nanoTime();
  final long startMs = System.currentTimeMillis();
  final Set<Long> tried = new HashSet<>(4);
  /** The routing decisions, for the request log. */
  final TrailRecorder trail = new TrailRecorder();

  ClientKey key;
  /** What the dispatcher admitted (limits to settle at the end), once it has. */
  Dispatcher.Pass pass;
  /** The session the request belongs to, for affinity; null when none. */
  String session;
  Protocol clientProtocol;
  UpstreamType.Operation operation = UpstreamType.Operation.GENERATE;
  /** The client's request as a tree, once a translation needed it (then read-only). */
  JsonObject clientJson;
  /** The protocol of the last attempt's upstream. */
  Protocol upstreamProtocol;
  String model = "unknown";
  boolean stream;
  long bytesIn;
  long bytesOut;
  int attempts;
  Lease lease;
  GatewayError lastFailure;
  /** False once any attempt failed for a reason other than a 429. */
  boolean onlyRateLimited = true;
  long firstTokenNanos;
  Usage usage;
  /** The client's request, kept to estimate usage when the upstream reports none. */
  ParsedRequest request;
  /** A whole answer without usage, kept to estimate its output tokens; else null. */
  Buffer unmeteredAnswer;
  /** Upstream events relayed in a stream: the output estimate of a stream without usage. */
  int upstreamEvents;
  boolean finished;
  /** Completes when the client's connection closes. */
  Future<Void> clientGone;

  Call(String requestId, String route) {
    this.requestId = requestId;
    this.route = route;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
