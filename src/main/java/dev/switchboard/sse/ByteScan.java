package dev.switchboard.sse;

import static dev.switchboard.json.Swar.broadcast;
import static dev.switchboard.json.Swar.lowest;
import static dev.switchboard.json.Swar.word;
import static dev.switchboard.json.Swar.zeros;

import dev.switchboard.json.Bytes;
import io.vertx.core.buffer.Buffer;

/**
 * Byte-level searches over buffers in place: no strings, no regex, no copies. They read the
 * heap buffer's backing array directly: {@code Buffer.getByte} checks bounds and accessibility
 * on every byte, which was the largest cost of relaying a stream. The searches the relay makes
 * on every event read eight bytes at a time (SWAR: a {@code long} of the array, bit tricks to
 * flag the bytes that match).
 */
public final class ByteScan {

  private ByteScan() {}

  private static final long LF = broadcast((byte) '\n');
  private static final long CR = broadcast((byte) '\r');

  /**
   * First index of {@code pattern} in {@code buf} at or after {@code from}, or -1. Eight start
   * positions at a time: a position is a candidate only when both the pattern's first and last
   * bytes are there, which in JSON rules out nearly every {@code "} a key starts with; each
   * candidate is then compared whole.
   */
  public static int indexOf(Buffer buf, byte[] pattern, int from) {
    Bytes.Range r = Bytes.of(buf);
    byte[] a = r.array();
    int base = r.offset();
    int m = pattern.length;
    int last = r.length() - m;
    int i = Math.max(0, from);
    if (m == 0) return i <= r.length() ? i : -1;
    long first = broadcast(pattern[0]);
    long end = broadcast(pattern[m - 1]);
    // the eight starts i..i+7 are all <= last, so both words lie inside the buffer
    for (; i + 7 <= last; i += 8) {
      long candidates = zeros(word(a, base + i) ^ first) & zeros(word(a, base + i + m - 1) ^ end);
      for (; candidates != 0; candidates &= candidates - 1) {
        int at = i + lowest(candidates);
        if (matches(a, base + at, pattern)) return at;
      }
    }
    for (; i <= last; i++) {
      if (matches(a, base + i, pattern)) return i;
    }
    return -1;
  }

  /** The first index of {@code b} in {@code a[from, to)}, eight bytes at a time, or -1. */
  static int indexOf(byte[] a, int from, int to, byte b) {
    long pattern = broadcast(b);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long found = zeros(word(a, i) ^ pattern);
      if (found != 0) return i + lowest(found);
    }
    for (; i < to; i++) {
      if (a[i] == b) return i;
    }
    return -1;
  }

  /** The index of the first CR or LF in {@code a[from, to)}, or {@code to}. */
  private static int lineEnd(byte[] a, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long w = word(a, i);
      // the lowest flag of either mask is a true match, so the lowest of both is the first line end
      long found = zeros(w ^ LF) | zeros(w ^ CR);
      if (found != 0) return i + lowest(found);
    }
    while (i < to && a[i] != '\n' && a[i] != '\r') i++;
    return i;
  }

  private static boolean matches(byte[] a, int at, byte[] pattern) {
    for (int j = 0; j < pattern.length; j++) {
      if (a[at + j] != pattern[j]) return false;
    }
    return true;
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
    int end = lineEnd(a, base + start, base + len) - base;
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
    int end = lineEnd(a, base + start, base + len) - base;
    return new String(a, base + start, end - start, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static boolean startsWith(byte[] a, int base, int len, byte[] prefix) {
    return len >= prefix.length && matches(a, base, prefix);
  }

  private static final byte[] DATA = {'d', 'a', 't', 'a', ':'};
  private static final byte[] NL_DATA = {'\n', 'd', 'a', 't', 'a', ':'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't', ':'};
  private static final byte[] NL_EVENT = {'\n', 'e', 'v', 'e', 'n', 't', ':'};
}
