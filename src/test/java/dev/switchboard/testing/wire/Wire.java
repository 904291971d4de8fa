package dev.switchboard.testing.wire;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.AbstractList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One upstream protocol's answer builder for {@code MockUpstream}: the non-stream body, the
 * stream as complete events, the mid-stream error, a malformed stream and the error envelope.
 * Instances may hold per-request framing choices; they build bytes and never touch a socket.
 */
public interface Wire {

  /** An HTTP error answer: status, body, and the {@code retry-after} header value or null. */
  record Failure(int status, Buffer body, String retryAfter) {}

  /** The non-stream 200 body. */
  Buffer message(Answer answer);

  /** Every stream event in order, each a complete frame, the terminal one included. */
  List<Buffer> stream(Answer answer);

  /** The frame that reports a failure after {@code sent} events of {@code answer}, ending it. */
  Buffer streamError(Answer answer, int sent, int status, String message);

  /** A stream in this protocol's framing whose payloads are not valid JSON. */
  List<Buffer> malformedStream();

  /** The error answer for {@code status}; {@code retryAfterSeconds} is -1 when not set. */
  Failure failure(int status, String message, int retryAfterSeconds);

  /** The content type of a stream answer. */
  default String streamContentType() {
    return "text/event-stream";
  }

  /**
   * {@code head}, one event per piece built only when read ({@code event} gets the piece's
   * index), then {@code tail}: a stream of thousands of deltas then costs no more memory than
   * the events in flight.
   */
  static List<Buffer> lazy(List<Buffer> head, String[] pieces, IntFunction<Buffer> event,
      List<Buffer> tail) {
    return new Events(head, pieces, event, tail);
  }

  /** The index of the first event after the last piece (the closing events), or the size when unknown. */
  static int closingStart(List<Buffer> stream) {
    return stream instanceof Events e ? e.head.size() + e.pieces.length : stream.size();
  }

  /** A stream built by {@link #lazy}. */
  final class Events extends AbstractList<Buffer> {
    private final List<Buffer> head;
    private final String[] pieces;
    private final IntFunction<Buffer> event;
    private final List<Buffer> tail;

    private Events(List<Buffer> head, String[] pieces, IntFunction<Buffer> event, List<Buffer> tail) {
      this.head = head;
      this.pieces = pieces;
      this.event = event;
      this.tail = tail;
    }

    @Override
    public Buffer get(int i) {
      if (i < head.size()) {
        return head.get(i);
      }
      int piece = i - head.size();
      return piece < pieces.length ? event.apply(piece) : tail.get(piece - pieces.length);
    }

    @Override
    public int size() {
      return head.size() + pieces.length + tail.size();
    }
  }

  /** {@code data: <json>\n\n}. */
  static Buffer data(JsonObject json) {
    return Buffer.buffer("data: " + json.encode() + "\n\n");
  }

  /** {@code event: <name>\ndata: <json>\n\n}. */
  static Buffer event(String name, JsonObject json) {
    return Buffer.buffer("event: " + name + "\ndata: " + json.encode() + "\n\n");
  }
}
