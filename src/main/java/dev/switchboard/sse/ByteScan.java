package dev.switchboard.sse;

import io.vertx.core.buffer.Buffer;

/** Byte-level searches over buffers in place: no strings, no regex, no copies. */
public final class ByteScan {

  private ByteScan() {}

  /** First index of {@code pattern} in {@code buf} at or after {@code from}, or -1. */
  public static int indexOf(Buffer buf, byte[] pattern, int from) {
    int last = buf.length() - pattern.length;
    byte first = pattern[0];
    outer:
    for (int i = Math.max(0, from); i <= last; i++) {
      if (buf.getByte(i) != first) continue;
      for (int j = 1; j < pattern.length; j++) {
        if (buf.getByte(i + j) != pattern[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** Index of the first byte at or after {@code from} that is not JSON white space, or -1. */
  public static int skipSpace(Buffer buf, int from) {
    for (int i = from; i < buf.length(); i++) {
      byte b = buf.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') return i;
    }
    return -1;
  }

  /**
   * The payload of an event's {@code data:} line (single-line events, as every LLM API sends
   * them), as a slice without the field name, the optional space and the line end; null when
   * the event has no data line.
   */
  public static Buffer data(Buffer event) {
    int at = event.length() >= 5 && startsWith(event, 0, DATA) ? 0 : indexOf(event, NL_DATA, 0);
    if (at < 0) return null;
    int start = at == 0 ? 5 : at + 6;
    if (start < event.length() && event.getByte(start) == ' ') start++;
    int end = start;
    while (end < event.length() && event.getByte(end) != '\n' && event.getByte(end) != '\r') end++;
    return event.slice(start, end);
  }

  private static boolean startsWith(Buffer buf, int at, byte[] prefix) {
    if (buf.length() - at < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (buf.getByte(at + i) != prefix[i]) return false;
    }
    return true;
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};
  private static final byte[] NL_DATA = {'\n', 'd', 'a', 't', 'a', ':'};
}
