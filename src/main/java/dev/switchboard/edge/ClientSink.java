package dev.switchboard.edge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;

/**
 * The client's response as a stream relay's pipe sees it: once the response has ended (the
 * relay finished the answer) or its connection closed, what the upstream still delivers reaches
 * nobody instead of failing on the ended response with an exception no handler takes.
 */
final class ClientSink implements WriteStream<Buffer> {

  private final HttpServerResponse resp;

  ClientSink(HttpServerResponse resp) {
    this.resp = resp;
  }

  private boolean gone() {
    return resp.ended() || resp.closed();
  }

  @Override
  public Future<Void> write(Buffer data) {
    return gone() ? Future.succeededFuture() : resp.write(data);
  }

  @Override
  public boolean writeQueueFull() {
    return !gone() && resp.writeQueueFull();
  }

  @Override
  public ClientSink drainHandler(Handler<Void> handler) {
    if (!gone()) resp.drainHandler(handler);
    return this;
  }

  @Override
  public ClientSink exceptionHandler(Handler<Throwable> handler) {
    resp.exceptionHandler(handler);
    return this;
  }

  @Override
  public ClientSink setWriteQueueMaxSize(int maxSize) {
    resp.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public Future<Void> end() {
    return gone() ? Future.succeededFuture() : resp.end();
  }
}
