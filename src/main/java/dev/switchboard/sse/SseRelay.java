package dev.switchboard.sse;

import dev.switchboard.json.Bytes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A demand-respecting {@code ReadStream<Buffer>} over an upstream SSE body that finds event
 * boundaries in place and shows each event to a {@link SseTap}. Bytes go on as slices of the
 * upstream's buffers: when no event may be dropped, each upstream buffer is passed on whole as
 * it arrives; otherwise complete events are passed on, and only a dropped event's bytes are
 * withheld. An event is copied only when it spans buffers and the tap must read it whole.
 * Demand is the upstream's: pause, resume and fetch go straight to it.
 */
public final class SseRelay extends UpstreamEvents {

  private final SseTap tap;
  private final boolean mayDrop;
  private final int maxEventBytes;

  private final List<Buffer> pending = new ArrayList<>(2);
  private int pendingBytes;
  private boolean atLineStart = true;

  /**
   * @param mayDrop whether the tap may withhold events; when false every byte is passed on at
   *     once and the tap only reads
   */
  public SseRelay(ReadStream<Buffer> upstream, SseTap tap, boolean mayDrop, int maxEventBytes) {
    super(upstream);
    this.tap = tap;
    this.mayDrop = mayDrop;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Whether what has reached the client so far ends at an event boundary, so that something
   * else (a keep-alive) may be written between two events.
   */
  public boolean atEventBoundary() {
    return mayDrop || pending.isEmpty();
  }

  @Override
  protected void onChunk(Buffer chunk) {
    if (!mayDrop) emit(chunk);
    Bytes.Range bytes = Bytes.of(chunk);
    byte[] array = bytes.array();
    int base = bytes.offset();
    int len = chunk.length();
    int eventStart = 0;
    int forwardFrom = 0;
    // line by line: an event ends with a blank line (nothing, or only CRs, before its LF)
    int lineStart = 0;
    for (int lf; (lf = ByteScan.indexOf(array, base + lineStart, base + len, (byte) '\n')) >= 0; ) {
      int i = lf - base;
      boolean blank = (lineStart > 0 || atLineStart) && onlyCr(array, base + lineStart, lf);
      lineStart = i + 1;
      if (!blank) continue;
      int end = i + 1;
      if (pendingBytes + end - eventStart > maxEventBytes) {
        fail(new SseEventTooLargeException(maxEventBytes));
        return;
      }
      boolean keep = tap.onEvent(eventBytes(chunk, eventStart, end));
      if (mayDrop) {
        if (keep) {
          pending.forEach(this::emit);
        } else {
          if (eventStart > forwardFrom) emit(chunk.slice(forwardFrom, eventStart));
          forwardFrom = end;
        }
      }
      pending.clear();
      pendingBytes = 0;
      eventStart = end;
    }
    // whether the line the next chunk continues is still blank so far
    atLineStart = (lineStart > 0 || atLineStart) && onlyCr(array, base + lineStart, base + len);
    if (mayDrop && eventStart > forwardFrom) {
      // the usual case, a buffer of whole events none of which is dropped, goes on as it came
      emit(forwardFrom == 0 && eventStart == len ? chunk : chunk.slice(forwardFrom, eventStart));
    }
    if (eventStart < len) {
      pending.add(chunk.slice(eventStart, len));
      pendingBytes += len - eventStart;
      if (pendingBytes > maxEventBytes) {
        fail(new SseEventTooLargeException(maxEventBytes));
      }
    }
  }

  private static boolean onlyCr(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != '\r') return false;
    }
    return true;
  }

  private Buffer eventBytes(Buffer chunk, int start, int end) {
    if (pending.isEmpty()) {
      return chunk.slice(start, end);
    }
    Buffer whole = Buffer.buffer(pendingBytes + end - start);
    pending.forEach(whole::appendBuffer);
    return whole.appendBuffer(chunk, start, end - start);
  }

  @Override
  protected void onEnd() {
    if (!pending.isEmpty()) {
      Buffer last = eventBytes(Buffer.buffer(), 0, 0);
      boolean keep = tap.onEvent(last);
      if (mayDrop && keep) emit(last);
      pending.clear();
    }
    ended();
  }
}
