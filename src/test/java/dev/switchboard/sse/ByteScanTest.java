package dev.switchboard.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
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

  @Test
  void skipSpaceSkipsJsonWhiteSpaceOnly() {
    Buffer b = Buffer.buffer(" \t\r\n:x");
    assertEquals(4, ByteScan.skipSpace(b, 0));
    assertEquals(5, ByteScan.skipSpace(b, 5));
    assertEquals(-1, ByteScan.skipSpace(Buffer.buffer("  "), 0));
  }
}
