package dev.switchboard.sse;

import dev.switchboard.json.Bytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A demand-respecting {@code ReadStream<Buffer>} that cuts an upstream SSE body into complete
 * events and passes on what a {@link Mapper} makes of them: the stream adapter of translated
 * answers. Everything the events of one upstream read turn into goes on as one buffer, so one
 * upstream read costs one client write. Demand is the upstream's.
 */
public final class SseEventStream extends UpstreamEvents {

  /** Turns one complete upstream event (its bytes up to and including the blank line) into output. */
  @FunctionalInterface
  public interface Mapper {
    void onEvent(Buffer event, List<Buffer> out);
  }

  private final Mapper mapper;
  private final int maxEventBytes;
  private final List<Buffer> pending = new ArrayList<>(2);
  private final List<Buffer> out = new ArrayList<>(4);
  private int pendingBytes;
  private boolean atLineStart = true;

  public SseEventStream(ReadStream<Buffer> upstream, Mapper mapper, int maxEventBytes) {
    super(upstream);
    this.mapper = mapper;
    this.maxEventBytes = maxEventBytes;
  }

  @Override
  protected void onChunk(Buffer chunk) {
    Bytes.Range bytes = Bytes.of(chunk);
    byte[] array = bytes.array();
    int base = bytes.offset();
    int len = chunk.length();
    int eventStart = 0;
    for (int i = 0; i < len; i++) {
      byte b = array[base + i];
      if (b == '\n') {
        if (atLineStart) {
          int end = i + 1;
          if (pendingBytes + end - eventStart > maxEventBytes) {
            fail(new SseEventTooLargeException(maxEventBytes));
            return;
          }
          mapper.onEvent(eventBytes(chunk, eventStart, end), out);
          pending.clear();
          pendingBytes = 0;
          eventStart = end;
        }
        atLineStart = true;
      } else if (b != '\r') {
        atLineStart = false;
      }
    }
    if (eventStart < len) {
      pending.add(chunk.slice(eventStart, len));
      pendingBytes += len - eventStart;
      if (pendingBytes > maxEventBytes) {
        fail(new SseEventTooLargeException(maxEventBytes));
        return;
      }
    }
    flush();
  }

  private Buffer eventBytes(Buffer chunk, int start, int end) {
    if (pending.isEmpty()) {
      return chunk.slice(start, end);
    }
    Buffer whole = Buffer.buffer(pendingBytes + end - start);
    pending.forEach(whole::appendBuffer);
    return whole.appendBuffer(chunk, start, end - start);
  }

  private void flush() {
    if (out.isEmpty()) return;
    Buffer joined;
    if (out.size() == 1) {
      joined = out.get(0);
    } else {
      int size = 0;
      for (Buffer b : out) size += b.length();
      joined = Buffer.buffer(size);
      for (Buffer b : out) joined.appendBuffer(b);
    }
    out.clear();
    emit(joined);
  }

  @Override
  protected void onEnd() {
    if (!pending.isEmpty()) {
      // a last event without its blank line still counts
      mapper.onEvent(eventBytes(Buffer.buffer(), 0, 0), out);
      pending.clear();
      flush();
    }
    ended();
  }

  @Override
  protected void fail(Throwable err) {
    out.clear();
    super.fail(err);
  }
}
