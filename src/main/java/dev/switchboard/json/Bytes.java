package dev.switchboard.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;

/**
 * The one place that looks behind {@link Buffer} at Netty's {@link ByteBuf}, to hand a
 * parser the backing array of a heap buffer instead of a copy, or to join slices without
 * copying them.
 */
public final class Bytes {

  /** A byte range: {@code array[offset, offset + length)}. */
  public record Range(byte[] array, int offset, int length) {}

  private Bytes() {}

  public static Range of(Buffer buffer) {
    // BufferImpl's own ByteBuf as is: getByteBuf() would allocate a slice of it on every call
    ByteBuf buf = buffer instanceof BufferImpl impl ? impl.byteBuf() : ((BufferInternal) buffer).getByteBuf();
    if (buf.hasArray()) {
      return new Range(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    }
    byte[] copy = buffer.getBytes();
    return new Range(copy, 0, copy.length);
  }

  /** The parts as one buffer that reads through to them (a composite): nothing is copied. */
  public static Buffer join(List<Buffer> parts) {
    ByteBuf[] bufs = new ByteBuf[parts.size()];
    for (int i = 0; i < bufs.length; i++) bufs[i] = ((BufferInternal) parts.get(i)).getByteBuf();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bufs));
  }
}
