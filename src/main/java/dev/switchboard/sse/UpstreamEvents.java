package dev.switchboard.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * The plumbing shared by the streams that read an upstream SSE body: demand goes straight to
 * the upstream, its chunks and end come to {@link #onChunk} and {@link #onEnd}, and a failure
 * (the upstream's, or an oversized event) stops reading and reaches the exception handler once.
 */
public abstract class UpstreamEvents implements ReadStream<Buffer> {

  protected final ReadStream<Buffer> upstream;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  protected boolean failed;

  protected UpstreamEvents(ReadStream<Buffer> upstream) {
    this.upstream = upstream;
  }

  protected abstract void onChunk(Buffer chunk);

  /** The upstream ended; subclasses pass on what they hold, then call {@link #ended()}. */
  protected abstract void onEnd();

  @Override
  public UpstreamEvents handler(Handler<Buffer> h) {
    this.handler = h;
    if (h == null) {
      upstream.handler(null);
    } else {
      upstream.handler(chunk -> {
        if (!failed) onChunk(chunk);
      });
      upstream.endHandler(v -> {
        if (!failed) onEnd();
      });
      upstream.exceptionHandler(this::fail);
    }
    return this;
  }

  @Override
  public UpstreamEvents exceptionHandler(Handler<Throwable> h) {
    this.exceptionHandler = h;
    return this;
  }

  @Override
  public UpstreamEvents endHandler(Handler<Void> h) {
    this.endHandler = h;
    return this;
  }

  @Override
  public UpstreamEvents pause() {
    upstream.pause();
    return this;
  }

  @Override
  public UpstreamEvents resume() {
    upstream.resume();
    return this;
  }

  @Override
  public UpstreamEvents fetch(long amount) {
    upstream.fetch(amount);
    return this;
  }

  /** Passes bytes on to whoever reads this stream; empty buffers are skipped. */
  protected final void emit(Buffer b) {
    Handler<Buffer> h = handler;
    if (h != null && b.length() > 0) h.handle(b);
  }

  protected final void ended() {
    Handler<Void> h = endHandler;
    if (h != null) h.handle(null);
  }

  /**
   * The reader went away (the client closed): chunks the upstream has already delivered or
   * queued reach nobody, and the reader's pipe fails with {@code why}. Without it, a chunk
   * drained after the client left would be written to a closed response.
   */
  public final void abandon(Throwable why) {
    fail(why);
  }

  protected void fail(Throwable err) {
    if (failed) return;
    failed = true;
    upstream.handler(null);
    Handler<Throwable> h = exceptionHandler;
    if (h != null) h.handle(err);
  }
}
