package dev.switchboard.sse;

import io.vertx.core.buffer.Buffer;

/** Looks at each complete SSE event as it passes through a {@link SseRelay}. */
public interface SseTap {

  /**
   * Called once per complete event (its bytes including the blank line that ends it).
   * Returns false to keep the event from the client.
   */
  boolean onEvent(Buffer event);
}
