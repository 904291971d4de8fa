package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden fixtures under {@code fixtures/responses-to-chat/} and {@code fixtures/chat-to-responses/},
 * deterministic translations to run them, and the SSE plumbing. Run with
 * {@code -Dgolden.update=true} to rewrite expected parts after a deliberate change (then review the diff).
 */
final class ResponsesFixtures {

  static final long CREATED = 1767225600L;
  static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private ResponsesFixtures() {}

  static ResponsesToChat responsesToChat() {
    return new ResponsesToChat(ResponsesToChat.Options.DEFAULT, Clock.fixed(Instant.ofEpochSecond(CREATED), ZoneOffset.UTC),
        () -> "minted");
  }

  static ChatToResponses chatToResponses() {
    return new ChatToResponses(ChatToResponses.Options.DEFAULT, Clock.fixed(Instant.ofEpochSecond(CREATED), ZoneOffset.UTC), () -> "minted");
  }

  static List<Path> files(String direction, String dir, String suffix) {
    try {
      Path root = Paths.get(ResponsesFixtures.class.getResource("/fixtures/" + direction + "/" + dir).toURI());
      try (Stream<Path> s = Files.list(root)) {
        List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        assertFalse(files.isEmpty(), "no fixtures in " + direction + "/" + dir);
        return files;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String name(Path p) {
    String n = p.getFileName().toString();
    return n.substring(0, n.indexOf('.'));
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

  /** Compares a fixture's {@code key} with {@code actual}; in update mode rewrites it in the source tree first. */
  static void expect(Path fixture, String key, Object actual) {
    JsonObject f = json(UPDATE ? source(fixture) : fixture);
    if (UPDATE) {
      f.put(key, actual);
      write(fixture, f.encodePrettily() + "\n");
    }
    Object want = f.getValue(key);
    String a = actual instanceof JsonObject o ? o.encodePrettily() : actual instanceof JsonArray arr ? arr.encodePrettily() : String.valueOf(actual);
    String w = want instanceof JsonObject o ? o.encodePrettily() : want instanceof JsonArray arr ? arr.encodePrettily() : String.valueOf(want);
    assertEquals(w, a, fixture.getFileName() + " " + key);
  }

  /** Feeds an SSE text (blank-line separated records of {@code event:} and {@code data:} lines). */
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
      if (data != null) t.onEvent(event, Buffer.buffer(data.toString()), out);
    }
  }

  /** Chat client output: each element one {@code data:} record; JSON parsed, {@code [DONE]} kept as that string. */
  static JsonArray chatChunks(List<Buffer> out) {
    JsonArray chunks = new JsonArray();
    for (Buffer b : out) {
      String s = b.toString(StandardCharsets.UTF_8);
      assertTrue(s.startsWith("data: ") && s.endsWith("\n\n") && s.indexOf('\n') == s.length() - 2, "one data record: " + s);
      String payload = s.substring(6, s.length() - 2);
      chunks.add("[DONE]".equals(payload) ? payload : new JsonObject(payload));
    }
    return chunks;
  }

  /** The file under src/test/resources, so that updates land in the source tree. */
  private static Path source(Path p) {
    return Paths.get(p.toString().replace("target/test-classes", "src/test/resources"));
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(source(p), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
