package dev.switchboard.translate.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.upstream.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChatCompletionsRequestTest {

  private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"there\\\" ✓\"}]";

  private static ChatCompletionsRequest parse(String json) throws MalformedJsonException {
    return ChatCompletionsRequest.parse(Buffer.buffer(json));
  }

  private static Buffer join(UpstreamBody body) {
    Buffer out = Buffer.buffer();
    body.parts().forEach(out::appendBuffer);
    assertEquals(out.length(), body.length());
    return out;
  }

  private static String upstream(String json, String model) throws MalformedJsonException {
    return join(parse(json).forUpstream(model)).toString(StandardCharsets.UTF_8);
  }

  @Test
  void readsModelStreamAndWhetherTheClientAskedForUsage() throws Exception {
    ChatCompletionsRequest plain = parse("{\"model\":\"gpt-4o\"," + MESSAGES + "}");
    assertEquals("gpt-4o", plain.model());
    assertFalse(plain.stream());
    assertFalse(plain.clientWantsUsage());

    ChatCompletionsRequest streaming = parse("{\"model\":\"gpt-4o\",\"stream\":true," + MESSAGES + "}");
    assertTrue(streaming.stream());
    assertFalse(streaming.clientWantsUsage());

    ChatCompletionsRequest asking = parse("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + MESSAGES + "}");
    assertTrue(asking.clientWantsUsage());

    assertFalse(parse("{\"model\":\"m\",\"stream\":null," + MESSAGES + "}").stream());
    assertFalse(parse("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false}," + MESSAGES + "}").clientWantsUsage());
    assertFalse(parse("{\"model\":\"m\",\"stream\":true,\"stream_options\":null," + MESSAGES + "}").clientWantsUsage());
  }

  @Test
  void aNonStreamingRequestForTheSameModelIsPassedOnByteForByte() throws Exception {
    String json = "{ \"model\" : \"gpt-4o\" , " + MESSAGES + ", \"stream_options\": {\"include_usage\": false} }";
    assertEquals(json, upstream(json, "gpt-4o"));
  }

  @Test
  void aStreamThatAlreadyAsksForUsageIsPassedOnByteForByte() throws Exception {
    String json = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + MESSAGES + "}";
    assertEquals(json, upstream(json, "gpt-4o"));
  }

  @Test
  void renamesTheModelLeavingEveryOtherByteAlone() throws Exception {
    String json = "{\n  \"temperature\": 0.5,\n  \"model\" :  \"fast\" ,\n  " + MESSAGES + "\n}";
    assertEquals(json.replace("\"fast\"", "\"gpt-4o-mini\""), upstream(json, "gpt-4o-mini"));
  }

  @Test
  void escapesARenamedModelThatNeedsIt() throws Exception {
    String json = "{\"model\":\"fast\"," + MESSAGES + ",\"user\":\"u\"}";
    String renamed = "we\"ird\\mödel\n😀\u0001";
    String out = upstream(json, renamed);
    assertEquals(renamed, new JsonObject(out).getString("model"));
    int at = out.indexOf("\"model\":") + "\"model\":".length();
    String rest = json.substring(json.indexOf("\"fast\"") + "\"fast\"".length());
    assertEquals(json.substring(0, at), out.substring(0, at));
    assertTrue(out.endsWith(rest), out);
    assertEquals(new JsonObject(json).put("model", renamed), new JsonObject(out));
  }

  @Test
  void renamesAModelWhoseOwnNameIsEscaped() throws Exception {
    String json = "{\"model\":\"gpt\\u002d4o \\\"x\\\"\"," + MESSAGES + "}";
    assertEquals("gpt-4o \"x\"", parse(json).model());
    assertEquals("{\"model\":\"gpt-4o\"," + MESSAGES + "}", upstream(json, "gpt-4o"));
  }

  @Test
  void aStreamWithoutStreamOptionsGetsUsageSwitchedOn() throws Exception {
    String json = "{\"model\":\"m\",\"stream\":true," + MESSAGES + " }";
    String out = upstream(json, "m");
    assertEquals("{\"model\":\"m\",\"stream\":true," + MESSAGES + " ,\"stream_options\":{\"include_usage\":true}}", out);
  }

  @Test
  void aStreamWithNullStreamOptionsGetsUsageSwitchedOn() throws Exception {
    String json = "{\"model\":\"m\",\"stream\":true,\"stream_options\": null," + MESSAGES + "}";
    assertEquals(json.replace("null", "{\"include_usage\":true}"), upstream(json, "m"));
  }

  @Test
  void aStreamWithOtherStreamOptionsKeepsThemAndGetsUsageSwitchedOn() throws Exception {
    String json = "{\"stream_options\":{\"continuous\":[1,2],\"include_usage\":false},\"model\":\"a\",\"stream\":true," + MESSAGES + "}";
    String out = upstream(json, "b");
    JsonObject expected = new JsonObject(json).put("model", "b");
    expected.getJsonObject("stream_options").put("include_usage", true);
    assertEquals(expected, new JsonObject(out));
    assertTrue(out.endsWith(",\"model\":\"b\",\"stream\":true," + MESSAGES + "}"), out);
  }

  @Test
  void aNonStreamingRequestLeavesStreamOptionsAlone() throws Exception {
    String json = "{\"model\":\"m\",\"stream\":false,\"stream_options\":{\"include_usage\":false}," + MESSAGES + "}";
    assertEquals(json, upstream(json, "m"));
  }

  @Test
  void editsAreRelativeToABodySlicedFromALargerBuffer() throws Exception {
    String json = "{\"model\":\"fast\",\"stream\":true," + MESSAGES + "}";
    Buffer composed = Buffer.buffer("XXXXXXXX{\"model\":\"decoy\"}").appendString(json).appendString("{\"model\":\"after\"}");
    int start = "XXXXXXXX{\"model\":\"decoy\"}".length();
    Buffer body = composed.slice(start, start + json.getBytes(StandardCharsets.UTF_8).length);
    String out = join(ChatCompletionsRequest.parse(body).forUpstream("slow")).toString(StandardCharsets.UTF_8);
    assertEquals("{\"model\":\"slow\",\"stream\":true," + MESSAGES + ",\"stream_options\":{\"include_usage\":true}}", out);
  }

  @Test
  void rejectsBodiesThatAreNotAChatRequest() {
    String[] bad = {
        "", "[]", "\"x\"", "null", "{}",
        "{\"model\":\"a\",\"model\":\"b\"," + MESSAGES + "}",
        "{\"model\":\"a\"," + MESSAGES + "} trailing",
        "{\"model\":\"a\"," + MESSAGES + "}{}",
        "{\"model\":\"a\"," + MESSAGES + "",
        "{\"model\":42," + MESSAGES + "}",
        "{\"model\":null," + MESSAGES + "}",
        "{\"model\":\"  \"," + MESSAGES + "}",
        "{\"model\":[\"a\"]," + MESSAGES + "}",
        "{" + MESSAGES + "}",
        "{\"model\":\"a\"}",
        "{\"model\":\"a\",\"messages\":{}}",
        "{\"model\":\"a\",\"messages\":\"hi\"}",
        "{\"model\":\"a\",\"stream\":\"true\"," + MESSAGES + "}",
        "{\"model\":\"a\",\"stream\":1," + MESSAGES + "}",
        "{\"model\":\"a\",\"stream\":true,\"stream_options\":true," + MESSAGES + "}",
        "{\"model\":\"a\",\"stream\":true,\"stream_options\":[]," + MESSAGES + "}",
        "{\"model\":\"a\",\"stream\":true,\"stream\":false," + MESSAGES + "}",
        "{\"model\":\"a\",\"stream_options\":{},\"stream_options\":{}," + MESSAGES + "}",
    };
    for (String body : bad) {
      assertThrows(MalformedJsonException.class, () -> parse(body), body);
    }
  }

  @Test
  void rejectsABodyThatIsNotUtf8() {
    String json = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + MESSAGES + "}";
    for (var charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16)) {
      Buffer body = Buffer.buffer(json.getBytes(charset));
      assertThrows(MalformedJsonException.class, () -> ChatCompletionsRequest.parse(body), charset.name());
    }
  }

  // ---- property: for random valid requests, only model and stream_options change ----

  @Test
  void forUpstreamChangesOnlyModelAndStreamOptionsOfRandomRequests() throws Exception {
    Random random = new Random(20261122);
    for (int i = 0; i < 2_000; i++) {
      RandomRequest r = RandomRequest.generate(random);
      ChatCompletionsRequest request;
      try {
        request = ChatCompletionsRequest.parse(Buffer.buffer(r.json));
      } catch (MalformedJsonException e) {
        throw new AssertionError("rejected a valid request: " + e.getMessage() + "\n" + r.json, e);
      }
      JsonObject input = new JsonObject(r.json);
      assertEquals(input.getString("model"), request.model(), r.json);
      boolean streaming = Boolean.TRUE.equals(input.getValue("stream"));
      assertEquals(streaming, request.stream(), r.json);
      String upstreamModel = random.nextBoolean() ? input.getString("model") : RandomRequest.model(random);

      Buffer out = join(request.forUpstream(upstreamModel));
      JsonObject expected = input.copy().put("model", upstreamModel);
      if (streaming) {
        JsonObject options = input.getValue("stream_options") instanceof JsonObject o ? o.copy() : new JsonObject();
        expected.put("stream_options", options.put("include_usage", true));
      }
      JsonObject actual;
      try {
        actual = new JsonObject(out);
      } catch (RuntimeException e) {
        throw new AssertionError("not JSON:\n" + out + "\nfrom:\n" + r.json, e);
      }
      assertEquals(expected, actual, () -> "from:\n" + r.json + "\nto:\n" + out);
      if (upstreamModel.equals(request.model()) && (!streaming || request.clientWantsUsage())) {
        assertEquals(r.json, out.toString(StandardCharsets.UTF_8), "an unchanged request must pass through byte for byte");
      }
    }
  }

  // ---- fuzz: byte mutations of valid bodies only ever fail as MalformedJsonException ----

  @Test
  void mutatedBodiesOnlyEverFailAsMalformedJson() {
    Random random = new Random(7);
    int accepted = 0;
    for (int i = 0; i < 5_000; i++) {
      byte[] body = RandomRequest.generate(random).json.getBytes(StandardCharsets.UTF_8);
      byte[] mutated = mutate(body, random);
      try {
        ChatCompletionsRequest request = ChatCompletionsRequest.parse(Buffer.buffer(mutated));
        Buffer out = join(request.forUpstream(random.nextBoolean() ? request.model() : "renamed \"model\""));
        assertNotNull(new JsonObject(out));
        accepted++;
      } catch (MalformedJsonException expected) {
        assertNotNull(expected.getMessage());
      } catch (Throwable t) {
        fail("mutation " + i + " threw " + t + " for body bytes: " + new String(mutated, StandardCharsets.ISO_8859_1), t);
      }
    }
    assertTrue(accepted > 0, "some mutations should still be valid requests");
  }

  private static final String SYNTAX = "{}[]\":,\\ 0tfn-.e";

  private static byte[] mutate(byte[] body, Random random) {
    byte[] b = body;
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && b.length > 0; m++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(5)) {
        case 0 -> b[at] = (byte) random.nextInt(256);
        case 1 -> b[at] = (byte) SYNTAX.charAt(random.nextInt(SYNTAX.length()));
        case 2 -> {
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, at);
          System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
          b = shorter;
        }
        case 3 -> {
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
        }
        default -> {
          byte[] cut = new byte[at];
          System.arraycopy(b, 0, cut, 0, at);
          b = cut;
        }
      }
    }
    return b;
  }

  /** A random but valid chat request, written with random white space and field order. */
  private record RandomRequest(String json) {

    private static final String[] WS = {"", "", "", " ", "\n", "\t", "\r\n  "};
    private static final String[] EXTRA = {"temperature", "top_p", "user", "tools", "metadata", "n", "stop", "seed", "x_custom", "modelish", "Stream"};

    static RandomRequest generate(Random random) {
      List<String> fields = new ArrayList<>();
      fields.add(field(random, "model", quote(model(random))));
      fields.add(field(random, "messages", array(random, 2)));
      switch (random.nextInt(4)) {
        case 0 -> { }
        case 1 -> fields.add(field(random, "stream", "true"));
        case 2 -> fields.add(field(random, "stream", "false"));
        default -> fields.add(field(random, "stream", "null"));
      }
      switch (random.nextInt(5)) {
        case 0, 1 -> { }
        case 2 -> fields.add(field(random, "stream_options", "null"));
        case 3 -> fields.add(field(random, "stream_options", "{" + ws(random) + "\"include_usage\"" + ws(random) + ":" + ws(random) + random.nextBoolean() + ws(random) + "}"));
        default -> fields.add(field(random, "stream_options", object(random, 1)));
      }
      List<String> extras = new ArrayList<>(List.of(EXTRA));
      Collections.shuffle(extras, random);
      for (int i = random.nextInt(5); i > 0; i--) {
        fields.add(field(random, extras.remove(0), value(random, 3)));
      }
      Collections.shuffle(fields, random);
      return new RandomRequest(ws(random) + "{" + ws(random) + String.join("," + ws(random), fields) + ws(random) + "}" + ws(random));
    }

    private static String field(Random random, String name, String value) {
      return quote(name) + ws(random) + ":" + ws(random) + value + ws(random);
    }

    private static String ws(Random random) {
      return WS[random.nextInt(WS.length)];
    }

    static String model(Random random) {
      String s;
      do {
        s = string(random);
      } while (s.isBlank());
      return s;
    }

    static String string(Random random) {
      String[] pieces = {"gpt-4o", "a", "é", "😀", "\"", "\\", "/", "\n", "\t", "\u0001", "\u2028", "}", "{", ",", ":", " ", "model"};
      StringBuilder s = new StringBuilder();
      for (int i = 1 + random.nextInt(5); i > 0; i--) s.append(pieces[random.nextInt(pieces.length)]);
      return s.toString();
    }

    private static String quote(String s) {
      StringBuilder out = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\t' -> out.append("\\t");
          case 'é' -> out.append("\\u00e9");
          case '/' -> out.append("\\/");
          default -> {
            if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
          }
        }
      }
      return out.append('"').toString();
    }

    private static String value(Random random, int depth) {
      int kind = random.nextInt(depth > 0 ? 8 : 6);
      return switch (kind) {
        case 0 -> quote(string(random));
        case 1 -> String.valueOf(random.nextInt(2_000_001) - 1_000_000);
        case 2 -> String.valueOf(random.nextDouble() * (random.nextBoolean() ? 1e-5 : 1e5));
        case 3 -> String.valueOf(random.nextBoolean());
        case 4 -> "null";
        case 5 -> random.nextBoolean() ? "[]" : "{}";
        case 6 -> array(random, depth - 1);
        default -> object(random, depth - 1);
      };
    }

    private static String array(Random random, int depth) {
      List<String> items = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) items.add(ws(random) + value(random, depth) + ws(random));
      return "[" + String.join(",", items) + "]";
    }

    private static String object(Random random, int depth) {
      List<String> items = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) items.add(ws(random) + field(random, "k" + i + string(random), value(random, depth)));
      return "{" + String.join(",", items) + "}";
    }
  }

  @Test
  void theRandomRequestsAreValidJson() {
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      String json = RandomRequest.generate(random).json;
      assertTrue(new JsonObject(json).getValue("messages") instanceof JsonArray, json);
    }
  }
}
