package dev.switchboard.sse;

import dev.switchboard.json.Bytes;
import io.vertx.core.buffer.Buffer;

/**
 * Byte-level searches over buffers in place: no strings, no regex, no copies. They read the
 * heap buffer's backing array directly: {@code Buffer.getByte} checks bounds and accessibility
 * on every byte, which was the largest cost of relaying a stream.
 */
public final class ByteScan {

  private ByteScan() {}

  /** First index of {@code pattern} in {@code buf} at or after {@code from}, or -1. */
  public static int indexOf(Buffer buf, byte[] pattern, int from) {
    Bytes.Range r = Bytes.of(buf);
    byte[] a = r.array();
    int base = r.offset();
    int last = r.length() - pattern.length;
    byte first = pattern[0];
    outer:
    for (int i = Math.max(0, from); i <= last; i++) {
      if (a[base + i] != first) continue;
      for (int j = 1; j < pattern.length; j++) {
        if (a[base + i + j] != pattern[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** Index of the first byte at or after {@code from} that is not JSON white space, or -1. */
  public static int skipSpace(Buffer buf, int from) {
    Bytes.Range r = Bytes.of(buf);
    byte[] a = r.array();
    for (int i = from; i < r.length(); i++) {
      byte b = a[r.offset() + i];
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
    Bytes.Range r = Bytes.of(event);
    byte[] a = r.array();
    int base = r.offset();
    int len = r.length();
    int at = len >= 5 && startsWith(a, base, len, DATA) ? 0 : indexOf(event, NL_DATA, 0);
    if (at < 0) return null;
    int start = at == 0 ? 5 : at + 6;
    if (start < len && a[base + start] == ' ') start++;
    int end = start;
    while (end < len && a[base + end] != '\n' && a[base + end] != '\r') end++;
    return event.slice(start, end);
  }

  /**
   * The value of an event's {@code event:} line, or null when it has none (an event that only
   * has {@code data:}, as OpenAI Chat and Gemini send them).
   */
  public static String eventName(Buffer event) {
    Bytes.Range r = Bytes.of(event);
    byte[] a = r.array();
    int base = r.offset();
    int len = r.length();
    int at = len >= 6 && startsWith(a, base, len, EVENT) ? 0 : indexOf(event, NL_EVENT, 0);
    if (at < 0) return null;
    int start = at == 0 ? 6 : at + 7;
    if (start < len && a[base + start] == ' ') start++;
    int end = start;
    while (end < len && a[base + end] != '\n' && a[base + end] != '\r') end++;
    return new String(a, base + start, end - start, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] a, int base, int len, byte[] prefix) {
    if (len < prefix.length) return false;
    for (int i = 0; i < prefix.length; i++) {
      if (a[base + i] != prefix[i]) return false;
    }
    return true;
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};
  private static final byte[] NL_DATA = {'\n', 'd', 'a', 't', 'a', ':'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't', ':'};
  private static final byte[] NL_EVENT = {'\n', 'e', 'v', 'e', 'n', 't', ':'};
}
