package dev.switchboard.translate.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import dev.switchboard.translate.TranslationException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.ToIntBiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Golden fixtures of one direction under {@code fixtures/<dir>/}: {@code request/X.in.json} ->
 * {@code X.out.json} (the upstream request, or {@code {"error": message}} for a refusal);
 * {@code response/} likewise for whole answers; {@code error/} maps {@code {status, body}} to the
 * client's {@code {status, body}}; {@code stream/X.sse} (the upstream stream as sent, with
 * {@code : includeUsage} and {@code : error <message>} comment lines as options) ->
 * {@code X.out.json} ({@code chunks}: every client event's data, and the {@code usage} the
 * translator reports). Run with {@code -Dgolden.update=true} to rewrite expected files after a
 * deliberate change, and read the diff.
 */
final class GeminiFixtures {

  static final long CREATED = 1767225600L;
  static final String UPSTREAM_MODEL = "model-up";
  static final String CLIENT_MODEL = "model-client";
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private final String root;

  GeminiFixtures(String root) {
    this.root = root;
  }

  static ChatToGemini chatToGemini() {
    return new ChatToGemini(Clock.fixed(Instant.ofEpochSecond(CREATED), ZoneOffset.UTC), () -> "chatcmpl-gw");
  }

  static GeminiToChat geminiToChat() {
    return new GeminiToChat(GeminiToChat.Options.DEFAULT, () -> "resp-gw");
  }

  Stream<DynamicTest> requests(Translation t) {
    return requests((file, request) -> t.request(request, UPSTREAM_MODEL));
  }

  /** As {@link #requests(Translation)}, with the translation call chosen per fixture file. */
  Stream<DynamicTest> requests(BiFunction<Path, JsonObject, JsonObject> translate) {
    return cases("request", ".in.json").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      JsonObject request = new JsonObject(read(in));
      String before = request.encode();
      JsonObject actual;
      try {
        actual = translate.apply(in, request);
      } catch (TranslationException e) {
        actual = new JsonObject().put("error", e.getMessage());
      }
      compare(sibling(in, ".in.json", ".out.json"), actual);
      assertEquals(before, request.encode(), "the client request is left as it was");
    }));
  }

  Stream<DynamicTest> responses(Translation t) {
    return cases("response", ".in.json").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      JsonObject actual;
      try {
        actual = t.response(new JsonObject(read(in)), CLIENT_MODEL);
      } catch (TranslationException e) {
        actual = new JsonObject().put("error", e.getMessage());
      }
      compare(sibling(in, ".in.json", ".out.json"), actual);
    }));
  }

  Stream<DynamicTest> errors(Translation t, ToIntBiFunction<Integer, JsonObject> clientStatus) {
    return cases("error", ".in.json").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      JsonObject upstream = new JsonObject(read(in));
      int status = upstream.getInteger("status");
      JsonObject body = upstream.getValue("body") instanceof JsonObject b ? b : new JsonObject();
      JsonObject actual = new JsonObject().put("status", clientStatus.applyAsInt(status, body)).put("body", t.error(status, body));
      compare(sibling(in, ".in.json", ".out.json"), actual);
    }));
  }

  /** Runs every stream fixture; {@code check} sees each client stream (a client-SDK replay). */
  Stream<DynamicTest> streams(Translation t, Consumer<List<Buffer>> check) {
    return cases("stream", ".sse").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      String sse = read(in);
      boolean includeUsage = sse.contains("\n: includeUsage\n") || sse.startsWith(": includeUsage\n");
      StreamTranslator s = t.stream(CLIENT_MODEL, includeUsage);
      List<Buffer> out = new ArrayList<>();
      feed(s, sse, out);
      String error = option(sse, ": error ");
      if (error != null) s.onError(error, out);
      else s.onEnd(out);
      check.accept(out);
      Usage u = s.usage();
      JsonObject actual = new JsonObject().put("chunks", dataOf(out)).put("usage", u == null ? null
          : new JsonObject().put("input", u.input()).put("output", u.output()).put("cached", u.cached()).put("reasoning", u.reasoning()));
      compare(sibling(in, ".sse", ".out.json"), actual);
    }));
  }

  /** Feeds SSE text the way the edge's framer would: records split at blank lines, comments skipped. */
  static void feed(StreamTranslator t, String sse, List<Buffer> out) {
    for (String record : sse.replace("\r\n", "\n").split("\n\n")) {
      String event = null;
      StringBuilder data = null;
      for (String line : record.split("\n")) {
        if (line.startsWith("event:")) event = line.substring(6).strip();
        if (line.startsWith("data:")) {
          String value = line.substring(5);
          if (value.startsWith(" ")) value = value.substring(1);
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
      }
      if (data != null) t.onEvent(event, Buffer.buffer(data.toString()), out);
    }
  }

  /** Every output element must be exactly one {@code data:} record; their payloads, JSON parsed. */
  static JsonArray dataOf(List<Buffer> out) {
    JsonArray chunks = new JsonArray();
    for (Buffer b : out) {
      String s = b.toString(StandardCharsets.UTF_8);
      assertTrue(s.startsWith("data: ") && s.endsWith("\n\n") && s.indexOf('\n') == s.length() - 2, "one data record: " + s);
      String payload = s.substring(6, s.length() - 2);
      chunks.add("[DONE]".equals(payload) ? payload : new JsonObject(payload));
    }
    return chunks;
  }

  private static String option(String sse, String prefix) {
    for (String line : sse.split("\n")) if (line.startsWith(prefix)) return line.substring(prefix.length()).strip();
    return null;
  }

  private void compare(Path expected, JsonObject actual) {
    if (UPDATE) write(expected, actual.encodePrettily() + "\n");
    JsonObject want = new JsonObject(read(expected));
    assertEquals(want.encodePrettily(), new JsonObject(actual.encode()).encodePrettily(), expected.getFileName().toString());
  }

  Path dir(String sub) {
    try {
      return Paths.get(GeminiFixtures.class.getResource("/fixtures/" + root + "/" + sub).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  Stream<Path> cases(String sub, String suffix) {
    try (Stream<Path> list = Files.list(dir(sub))) {
      List<Path> files = list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
      assertFalse(files.isEmpty(), "no fixtures in " + sub);
      return files.stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String name(Path p) {
    return p.getParent().getFileName() + "/" + p.getFileName();
  }

  static Path sibling(Path in, String suffix, String replacement) {
    String file = in.getFileName().toString();
    return in.resolveSibling(file.substring(0, file.length() - suffix.length()) + replacement);
  }

  static String read(Path p) {
    try {
      return Files.readString(source(p), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(source(p), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file under src/test/resources, so that updates land in the source tree. */
  private static Path source(Path p) {
    return Paths.get(p.toString().replace("target/test-classes", "src/test/resources"));
  }
}
