package dev.switchboard.edge;

import dev.switchboard.translate.Protocol;
import dev.switchboard.upstream.UpstreamType;
import dev.switchboard.translate.RequestParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The client-facing side of one protocol: how its requests name the model and ask for a
 * stream, and how its SDKs expect to hear about failures, before and after the response head.
 */
interface Front {

  /** An SSE comment: every SSE parser skips it. */
  Buffer KEEP_ALIVE = Buffer.buffer(": keep-alive\n\n");

  Protocol protocol();

  /** The route label for metrics and usage records. */
  String route();

  /**
   * How to read this request's model and stream flag from its body (and what its path already
   * said); the body is checked to be JSON. The parser may run on a worker thread.
   */
  RequestParser parser(RoutingContext ctx);

  /** Sends a failure as the whole response, in this protocol's envelope. */
  void sendError(HttpServerResponse resp, GatewayError e);

  /** A failure as a stream event, for a stream whose head was already sent. */
  Buffer streamError(GatewayError e);

  /** The status this protocol's clients should see for a status an upstream answered. */
  default int clientStatus(int upstreamStatus) {
    return upstreamStatus;
  }

  /** An event the protocol's clients ignore, sent across long upstream silences. */
  default Buffer keepAlive() {
    return KEEP_ALIVE;
  }

  /** What the request asks for; the upstream operation follows from it. */
  default UpstreamType.Operation operation(RoutingContext ctx) {
    return UpstreamType.Operation.GENERATE;
  }

  /** Stream framing: SSE for every protocol but a Gemini stream asked for without {@code alt=sse}. */
  default boolean jsonArrayStream(RoutingContext ctx) {
    return false;
  }
}
