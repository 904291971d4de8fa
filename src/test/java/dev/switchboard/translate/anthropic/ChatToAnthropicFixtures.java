package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

/** Golden fixtures under {@code fixtures/chat-to-anthropic/} and a deterministic translation to run them. */
final class ChatToAnthropicFixtures {

  static final long CREATED = 1767225600L;

  private ChatToAnthropicFixtures() {}

  /** Fixed clock and id source, so answers and chunks compare byte for byte. */
  static ChatToAnthropic translation() {
    return new ChatToAnthropic(4096, Clock.fixed(Instant.ofEpochSecond(CREATED), ZoneOffset.UTC), () -> "chatcmpl-gw");
  }

  static List<Path> files(String dir, String suffix) {
    try {
      Path root = Path.of(ChatToAnthropicFixtures.class.getResource("/fixtures/chat-to-anthropic/" + dir).toURI());
      try (Stream<Path> s = Files.list(root)) {
        return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String name(Path p) {
    String n = p.getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  static String text(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject json(Path p) {
    return new JsonObject(text(p));
  }

  /** Feeds an SSE file (blank-line separated records of {@code event:} and {@code data:} lines). */
  static void feed(StreamTranslator t, String sse, List<Buffer> out) {
    for (String record : sse.replace("\r\n", "\n").split("\n\n")) {
      String event = null;
      StringBuilder data = null;
      for (String line : record.split("\n")) {
        if (line.startsWith("event:")) event = line.substring(6).trim();
        else if (line.startsWith("data:")) {
          String d = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
          data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
        }
      }
      if (event != null || data != null) t.onEvent(event, Buffer.buffer(data == null ? "" : data.toString()), out);
    }
  }

  /** Client events as parsed JSON, {@code "[DONE]"} as that string; each must be one {@code data:} record. */
  static JsonArray parse(List<Buffer> out) {
    JsonArray chunks = new JsonArray();
    for (Buffer b : out) {
      String s = b.toString(StandardCharsets.UTF_8);
      assertTrue(s.startsWith("data: ") && s.endsWith("\n\n") && s.indexOf('\n') == s.length() - 2, "one data record: " + s);
      String payload = s.substring(6, s.length() - 2);
      chunks.add("[DONE]".equals(payload) ? payload : new JsonObject(payload));
    }
    return chunks;
  }

  static void assertJson(Object expected, Object actual, String what) {
    assertEquals(expected, actual, what);
  }
}
