package dev.switchboard.upstream;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * A request body as a list of slices written one after another, so a rewrite that changes one
 * field sends the untouched bytes without copying them.
 */
public record UpstreamBody(List<Buffer> parts, long length) {

  public static UpstreamBody of(List<Buffer> parts) {
    long length = 0;
    for (Buffer b : parts) length += b.length();
    return new UpstreamBody(List.copyOf(parts), length);
  }
}
