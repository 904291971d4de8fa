package dev.switchboard.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopLevelJsonTest {

  private static final String BODY = """
      { "a" : "h\\u00e9llo \\"w\\" \\\\ ✓ 😀" ,"nested":{"a":1,"b":[1,{"c":"}"}]},
        "arr" : [ 1, "two", [3], {"four": null} ] , "num": -12.5e3, "t":true, "f" : false, "n":null,
        "skipped": {"x": "y"}, "z": "ünïcödé" }""";

  private static final Set<String> WANTED = Set.of("a", "nested", "arr", "num", "t", "f", "n", "z");

  private static String slice(Buffer body, TopLevelJson.Field f) {
    return body.slice(f.start(), f.end()).toString(StandardCharsets.UTF_8);
  }

  private static void assertExactOffsets(Buffer body) throws MalformedJsonException {
    TopLevelJson.Scan scan = TopLevelJson.scan(body, WANTED);
    assertEquals("\"h\\u00e9llo \\\"w\\\" \\\\ ✓ 😀\"", slice(body, scan.get("a")));
    assertEquals("hello \"w\" \\ ✓ 😀".replace("hello", "héllo"), scan.get("a").text());
    assertEquals("{\"a\":1,\"b\":[1,{\"c\":\"}\"}]}", slice(body, scan.get("nested")));
    assertEquals(JsonToken.START_OBJECT, scan.get("nested").token());
    assertEquals("[ 1, \"two\", [3], {\"four\": null} ]", slice(body, scan.get("arr")));
    assertEquals(JsonToken.START_ARRAY, scan.get("arr").token());
    assertEquals("-12.5e3", slice(body, scan.get("num")));
    assertEquals(JsonToken.VALUE_NUMBER_FLOAT, scan.get("num").token());
    assertEquals("true", slice(body, scan.get("t")));
    assertEquals("false", slice(body, scan.get("f")));
    assertEquals("null", slice(body, scan.get("n")));
    assertEquals(JsonToken.VALUE_NULL, scan.get("n").token());
    assertEquals("\"ünïcödé\"", slice(body, scan.get("z")));
    assertEquals("ünïcödé", scan.get("z").text());
    assertNull(scan.get("skipped"));
    assertEquals(9, scan.fieldCount());
    assertEquals('}', body.getByte(scan.closingBrace()));
    assertEquals(body.length() - 1, scan.closingBrace());
  }

  @Test
  void offsetsSliceExactlyEachValuesJsonText() throws Exception {
    assertExactOffsets(Buffer.buffer(BODY));
  }

  @Test
  void offsetsAreRelativeToASliceOfALargerBuffer() throws Exception {
    Buffer composed = Buffer.buffer("prefix garbage {\"a\":").appendString(BODY).appendString("} trailing {}");
    int start = "prefix garbage {\"a\":".length();
    Buffer body = composed.slice(start, start + BODY.getBytes(StandardCharsets.UTF_8).length);
    assertExactOffsets(body);
    assertExactOffsets(composed.slice(3, composed.length()).slice(start - 3, start - 3 + body.length()));
    assertExactOffsets(body.copy());
  }

  @Test
  void offsetsAreRelativeToANettyBufferWithAnArrayOffset() throws Exception {
    byte[] json = BODY.getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[json.length + 37];
    System.arraycopy(json, 0, padded, 17, json.length);
    assertExactOffsets(BufferInternal.buffer(Unpooled.wrappedBuffer(padded, 17, json.length)));
  }

  @Test
  void offsetsAreExactForADirectBuffer() throws Exception {
    byte[] json = BODY.getBytes(StandardCharsets.UTF_8);
    assertExactOffsets(BufferInternal.buffer(Unpooled.directBuffer(json.length).writeBytes(json)));
  }

  @Test
  void rejectsADuplicateOfAWantedField() {
    MalformedJsonException e = assertThrows(MalformedJsonException.class,
        () -> TopLevelJson.scan(Buffer.buffer("{\"a\":1,\"b\":2,\"a\":3}"), Set.of("a")));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
  }

  @Test
  void allowsDuplicatesOfFieldsItIsNotAskedFor() throws Exception {
    TopLevelJson.Scan scan = TopLevelJson.scan(Buffer.buffer("{\"b\":1,\"a\":\"x\",\"b\":2}"), Set.of("a"));
    assertEquals("x", scan.get("a").text());
    assertEquals(3, scan.fieldCount());
  }

  @Test
  void aDuplicateInsideANestedObjectIsNotATopLevelDuplicate() throws Exception {
    TopLevelJson.Scan scan = TopLevelJson.scan(Buffer.buffer("{\"a\":{\"a\":1},\"b\":[{\"a\":2}]}"), Set.of("a"));
    assertEquals(JsonToken.START_OBJECT, scan.get("a").token());
  }

  @Test
  void acceptsAnEmptyObject() throws Exception {
    TopLevelJson.Scan scan = TopLevelJson.scan(Buffer.buffer(" { } \n"), Set.of("a"));
    assertEquals(0, scan.fieldCount());
    assertEquals(3, scan.closingBrace());
  }

  @Test
  void rejectsEverythingThatIsNotExactlyOneJsonObject() {
    String[] bad = {
        "", " ", "[]", "\"s\"", "1", "null", "{", "{\"a\":1", "{\"a\":1,}", "{\"a\" 1}", "{a:1}",
        "{\"a\":1}{}", "{\"a\":1} x", "{\"a\":1}]", "{\"a\":'x'}", "{\"a\":[1,2}", "{\"a\":\"\\x\"}",
        "{\"a\":01}", "{\"a\":NaN}", "{\"a\":\"unterminated}",
    };
    for (String body : bad) {
      assertThrows(MalformedJsonException.class, () -> TopLevelJson.scan(Buffer.buffer(body), Set.of("a")), body);
    }
  }

  @Test
  void rejectsInvalidUtf8() {
    Buffer body = Buffer.buffer("{\"a\":\"").appendBytes(new byte[] {(byte) 0xC3, 0x28}).appendString("\"}");
    assertThrows(MalformedJsonException.class, () -> TopLevelJson.scan(body, Set.of("a")));
  }

  @Test
  void allowsTrailingWhiteSpace() throws Exception {
    assertEquals(1, TopLevelJson.scan(Buffer.buffer("{\"a\":1}\r\n\t "), Set.of("a")).fieldCount());
  }

  @Test
  void rejectsUtf16AndUtf32WhichHaveNoByteOffsets() {
    for (String charset : new String[] {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE"}) {
      Buffer body = Buffer.buffer("{\"a\":\"x\"}".getBytes(java.nio.charset.Charset.forName(charset)));
      MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> TopLevelJson.scan(body, Set.of("a")), charset);
      assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
  }

  @Test
  void offsetsAreExactAfterAUtf8ByteOrderMark() throws Exception {
    Buffer body = Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendString("{\"a\":\"x\"}");
    TopLevelJson.Scan scan = TopLevelJson.scan(body, Set.of("a"));
    assertEquals("\"x\"", slice(body, scan.get("a")));
    assertEquals(body.length() - 1, scan.closingBrace());
  }

  @Test
  void rejectsNestingDeeperThanJacksonAllowsWithoutBlowingTheStack() {
    String deep = "{\"a\":1,\"b\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThrows(MalformedJsonException.class, () -> TopLevelJson.scan(Buffer.buffer(deep), Set.of("a")));
  }

  @Test
  void acceptsLargeNestedValuesItSkips() throws Exception {
    String message = "{\"role\":\"user\",\"content\":\"" + "x".repeat(1 << 20) + "\"},";
    String big = "{\"messages\":[" + message.repeat(8) + "{}],\"a\":true}";
    TopLevelJson.Scan scan = TopLevelJson.scan(Buffer.buffer(big), Set.of("a", "messages"));
    assertEquals("true", slice(Buffer.buffer(big), scan.get("a")));
    assertEquals(JsonToken.START_ARRAY, scan.get("messages").token());
  }
}
