package dev.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteScanTest {

  private static String data(String event) {
    Buffer d = ByteScan.data(Buffer.buffer(event));
    return d == null ? null : d.toString(StandardCharsets.UTF_8);
  }

  @Test
  void findsADataLineWithOrWithoutTheSpaceAndWithEitherLineEnd() {
    assertEquals("{\"a\":1}", data("data: {\"a\":1}\n\n"));
    assertEquals("{\"a\":1}", data("data:{\"a\":1}\r\n\r\n"));
    assertEquals(" x", data("data:  x\n\n"));
    assertEquals("[DONE]", data("event: done\nid: 3\ndata: [DONE]\n\n"));
    assertEquals("tail", data("data: tail"));
    assertEquals("", data("data:\n\n"));
  }

  @Test
  void readsTheEventNameWhereverItsLineIs() {
    assertEquals("message_start", ByteScan.eventName(Buffer.buffer("event: message_start\ndata: {}\n\n")));
    assertEquals("ping", ByteScan.eventName(Buffer.buffer("event:ping\r\ndata: {}\r\n\r\n")));
    assertEquals("error", ByteScan.eventName(Buffer.buffer("id: 1\nevent: error\ndata: {}\n\n")));
    assertNull(ByteScan.eventName(Buffer.buffer("data: {\"event: x\"}\n\n")));
    assertNull(ByteScan.eventName(Buffer.buffer("myevent: x\n\n")));
    assertEquals("", ByteScan.eventName(Buffer.buffer("event:")));
  }

  @Test
  void dataAndEventNameEndAtTheFirstLineEndOfAnyLength() {
    String[] ends = {"\n\n", "\r\n\r\n", "\r\r", "\n", ""};
    for (int length = 0; length < 40; length++) {
      String value = "{\"v\":\"" + "x".repeat(length) + "\"}";
      for (String end : ends) {
        assertEquals(value, data("data: " + value + end), () -> "end " + end.replace("\r", "CR").replace("\n", "LF"));
        if (end.isEmpty()) continue;
        assertEquals(value, data("event: e\ndata:" + value + end + "id: 1\n\n"));
        assertEquals(value, ByteScan.eventName(Buffer.buffer("id: 1\nevent: " + value + end + "data: {}\n\n")));
      }
    }
  }

  @Test
  void anEventWithoutADataLineHasNoData() {
    assertNull(data(": ping\n\n"));
    assertNull(data("event: x\nmydata: y\n\n"));
    assertNull(data("\n"));
    assertNull(data(""));
  }

  @Test
  void indexOfFindsPatternsFromAnOffset() {
    Buffer b = Buffer.buffer("abcabc");
    byte[] bc = "bc".getBytes(StandardCharsets.US_ASCII);
    assertEquals(1, ByteScan.indexOf(b, bc, 0));
    assertEquals(4, ByteScan.indexOf(b, bc, 2));
    assertEquals(-1, ByteScan.indexOf(b, bc, 5));
    assertEquals(-1, ByteScan.indexOf(b, "abcabcd".getBytes(StandardCharsets.US_ASCII), 0));
    assertEquals(0, ByteScan.indexOf(b, "abc".getBytes(StandardCharsets.US_ASCII), -3));
  }

  /**
   * The eight-at-a-time searches against a byte-by-byte reference: random buffers over a small
   * alphabet (so that near misses abound) with bytes above 0x7F, read through slices that do not
   * start at the array's first byte, patterns of 1 to 9 bytes, every start offset.
   */
  @Test
  void indexOfAgreesWithAPlainSearchOnRandomInput() {
    Random random = new Random(7);
    byte[] alphabet = {'"', 'u', 's', 'a', 'g', 'e', ':', '\n', '\r', (byte) 0x80, (byte) 0xFF, 0x01, 0x00};
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(80)];
      for (int i = 0; i < bytes.length; i++) bytes[i] = alphabet[random.nextInt(alphabet.length)];
      int lead = random.nextInt(9);
      Buffer padded = Buffer.buffer().appendBytes(new byte[lead]).appendBytes(bytes).appendBytes(new byte[random.nextInt(9)]);
      Buffer buf = padded.slice(lead, lead + bytes.length);
      byte[] pattern = new byte[1 + random.nextInt(9)];
      if (bytes.length >= pattern.length && random.nextBoolean()) {
        System.arraycopy(bytes, random.nextInt(bytes.length - pattern.length + 1), pattern, 0, pattern.length);
      } else {
        for (int i = 0; i < pattern.length; i++) pattern[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int from = random.nextInt(bytes.length + 2) - 1;
      assertEquals(plainIndexOf(bytes, pattern, from), ByteScan.indexOf(buf, pattern, from),
          () -> "pattern " + Arrays.toString(pattern) + " from " + from + " in " + Arrays.toString(bytes));
      byte b = alphabet[random.nextInt(alphabet.length)];
      int start = Math.max(0, from);
      int to = start + random.nextInt(bytes.length - start + 1);
      int expected = plainIndexOf(Arrays.copyOfRange(bytes, 0, to), new byte[] {b}, start);
      assertEquals(expected < 0 ? -1 : lead + expected, ByteScan.indexOf(padded.getBytes(), lead + start, lead + to, b),
          () -> "byte " + b + " in [" + start + ", " + to + ") of " + Arrays.toString(bytes));
    }
  }

  private static int plainIndexOf(byte[] a, byte[] pattern, int from) {
    outer:
    for (int i = Math.max(0, from); i <= a.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (a[i + j] != pattern[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  @Test
  void skipSpaceSkipsJsonWhiteSpaceOnly() {
    Buffer b = Buffer.buffer(" \t\r\n:x");
    assertEquals(4, ByteScan.skipSpace(b, 0));
    assertEquals(5, ByteScan.skipSpace(b, 5));
    assertEquals(-1, ByteScan.skipSpace(Buffer.buffer("  "), 0));
  }
}
