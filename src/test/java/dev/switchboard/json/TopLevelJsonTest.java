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

  // locate: the structure walk for one field of an answer

  private static TopLevelJson.Field locate(Buffer body, String name) {
    return TopLevelJson.locate(body, name.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertLocatesAsScanDoes(Buffer body) throws MalformedJsonException {
    TopLevelJson.Scan scan = TopLevelJson.scan(body, WANTED);
    for (String name : WANTED) {
      TopLevelJson.Field want = scan.get(name);
      TopLevelJson.Field got = locate(body, name);
      assertEquals(want.start(), got.start(), name);
      assertEquals(want.end(), got.end(), name);
      assertEquals(want.token(), got.token(), name);
    }
    assertNull(locate(body, "absent"));
    assertNull(locate(body, "c"), "a field of a nested object is not a top-level field");
  }

  @Test
  void locateFindsEachFieldWhereScanFindsIt() throws Exception {
    assertLocatesAsScanDoes(Buffer.buffer(BODY));
    byte[] json = BODY.getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[json.length + 37];
    System.arraycopy(json, 0, padded, 17, json.length);
    assertLocatesAsScanDoes(BufferInternal.buffer(Unpooled.wrappedBuffer(padded, 17, json.length)));
    assertLocatesAsScanDoes(BufferInternal.buffer(Unpooled.directBuffer(json.length).writeBytes(json)));
    Buffer bom = Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendString(BODY);
    assertLocatesAsScanDoes(bom);
  }

  @Test
  void locateAgreesWithScanOnRandomDocuments() throws Exception {
    java.util.Random random = new java.util.Random(7);
    int found = 0;
    int duplicates = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder doc = new StringBuilder();
      randomObject(random, doc, 0);
      Buffer body = Buffer.buffer(doc.toString());
      TopLevelJson.Field got = locate(body, "usage");
      TopLevelJson.Field want;
      try {
        want = TopLevelJson.scan(body, Set.of("usage")).get("usage");
      } catch (MalformedJsonException duplicate) {
        assertTrue(duplicate.getMessage().contains("more than once"), () -> duplicate.getMessage() + " in " + doc);
        assertNull(got, doc::toString);
        duplicates++;
        continue;
      }
      if (want == null) {
        assertNull(got, doc::toString);
      } else {
        found++;
        assertEquals(slice(body, want), slice(body, got), doc::toString);
        assertEquals(want.token(), got.token(), doc::toString);
      }
    }
    // the generator must exercise every case, or this test proves little
    assertTrue(found > 5_000 && duplicates > 500, found + " found, " + duplicates + " duplicates");
  }

  private static final String[] KEYS = {"usage", "id", "choices", "usage", "us\\u0061ge", "x"};
  private static final String[] TEXT = {"", "a", "usage", "\\\"", "\\\\", "{", "}", "[", "]", ",", ":", " ", "\\u00e9", "é", "😀",
      "\\n", "\\\"usage\\\":{", "0123456789abcdef"};

  private static void randomObject(java.util.Random random, StringBuilder out, int depth) {
    out.append(space(random)).append('{');
    int fields = random.nextInt(depth == 0 ? 6 : 3);
    for (int i = 0; i < fields; i++) {
      if (i > 0) out.append(',');
      out.append(space(random)).append('"').append(KEYS[random.nextInt(KEYS.length)]).append('"').append(space(random))
          .append(':').append(space(random));
      randomValue(random, out, depth + 1);
      out.append(space(random));
    }
    out.append('}').append(space(random));
  }

  private static void randomValue(java.util.Random random, StringBuilder out, int depth) {
    switch (random.nextInt(depth > 4 ? 5 : 7)) {
      case 0 -> out.append(random.nextInt(2000) - 1000);
      case 1 -> out.append(random.nextBoolean() ? "-1.5e3" : "0.25");
      case 2 -> out.append(random.nextBoolean() ? "true" : random.nextBoolean() ? "false" : "null");
      case 3, 4 -> {
        out.append('"');
        for (int k = random.nextInt(12); k > 0; k--) out.append(TEXT[random.nextInt(TEXT.length)]);
        out.append('"');
      }
      case 5 -> randomObject(random, out, depth);
      default -> {
        out.append('[');
        for (int k = random.nextInt(4); k > 0; k--) {
          randomValue(random, out, depth + 1);
          if (k > 1) out.append(',');
        }
        out.append(']');
      }
    }
  }

  private static String space(java.util.Random random) {
    return random.nextInt(4) == 0 ? " \n\t\r".substring(0, 1 + random.nextInt(4)) : "";
  }

  @Test
  void locateGivesNothingForWhatItCannotFollow() {
    String[] bad = {
        "", " ", "[]", "\"usage\"", "1", "null", "{", "{}", "{\"usage\":{}", "{\"usage\" {}}", "{usage:{}}",
        "{\"usage\":\"unterminated}", "{\"usage\":{\"a\":\"}", "{\"a\":1 \"usage\":{}}", "{\"usage\":{},}",
        "{\"usage\":{\"a\":1},\"usage\":{\"a\":2}}", "{\"usage\":[1,2}", "{\"x\":\"\\\"}", "{\"usage\":}",
        "{\"usage\": ,\"b\":1}", "{\"b\":,\"usage\":{}}",
    };
    for (String body : bad) {
      assertNull(locate(Buffer.buffer(body), "usage"), body);
    }
  }

  @Test
  void locateSkipsLongStringsAndEscapesAtEveryAlignment() {
    for (int pad = 0; pad < 24; pad++) {
      String content = "x".repeat(pad) + "\\\"}{\\\\" + "y".repeat(40 - pad) + "\\\"";
      String doc = "{\"choices\":[{\"message\":{\"content\":\"" + content + "\"}}],\"usage\":{\"total_tokens\":" + pad + "}}";
      Buffer body = Buffer.buffer(doc);
      assertEquals("{\"total_tokens\":" + pad + "}", slice(body, locate(body, "usage")), doc);
    }
  }
}
