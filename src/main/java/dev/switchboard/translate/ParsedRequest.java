package dev.switchboard.translate;

import dev.switchboard.upstream.UpstreamBody;
import io.vertx.core.buffer.Buffer;

/**
 * What the edge reads from a client request before it picks an upstream: the model, whether
 * it streams, and the body, kept as bytes. When the upstream speaks the client's protocol the
 * body goes on with only the model changed; otherwise it is translated as a whole.
 */
public interface ParsedRequest {

  String model();

  boolean stream();

  /** For OpenAI Chat clients: whether they asked for the usage chunk in their stream. */
  default boolean clientWantsUsage() {
    return false;
  }

  /** The body exactly as the client sent it. */
  Buffer body();

  /** The body for an upstream of the client's own protocol, naming {@code upstreamModel}. */
  UpstreamBody forUpstream(String upstreamModel);
}
