package dev.switchboard.json;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The one place that looks behind {@link Buffer} at Netty's {@link ByteBuf}, to hand a
 * parser the backing array of a heap buffer instead of a copy.
 */
public final class Bytes {

  /** A byte range: {@code array[offset, offset + length)}. */
  public record Range(byte[] array, int offset, int length) {}

  private Bytes() {}

  public static Range of(Buffer buffer) {
    ByteBuf buf = ((BufferInternal) buffer).getByteBuf();
    if (buf.hasArray()) {
      return new Range(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    }
    byte[] copy = buffer.getBytes();
    return new Range(copy, 0, copy.length);
  }
}
