package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden fixtures under {@code fixtures/anthropic-to-chat/}: {@code request/X.in.json} (Anthropic
 * request) -> {@code X.out.json} (Chat request for model {@code gpt-up}); {@code response/}
 * likewise for whole answers (client model {@code claude-client}); {@code error/} maps an upstream
 * status and OpenAI error body to the client status and Anthropic body; {@code stream/X.sse} (Chat SSE
 * as the upstream sent it) -> {@code X.events} (the exact bytes the Anthropic client receives).
 * Run with {@code -Dgolden.update=true} to rewrite the expected files after a deliberate change.
 */
class MessagesToChatGoldenTest {

  static final String UPSTREAM_MODEL = "gpt-up";
  static final String CLIENT_MODEL = "claude-client";
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static MessagesToChat translation() {
    return new MessagesToChat(MessagesToChat.Options.DEFAULT, () -> "msg_minted");
  }

  @TestFactory
  Stream<DynamicTest> requests() {
    return cases("request", ".in.json").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      JsonObject actual = translation().request(new JsonObject(read(in)), UPSTREAM_MODEL);
      compareJson(sibling(in, ".in.json", ".out.json"), actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> responses() {
    return cases("response", ".in.json").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      JsonObject actual = translation().response(new JsonObject(read(in)), CLIENT_MODEL);
      compareJson(sibling(in, ".in.json", ".out.json"), actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> errors() {
    return cases("error", ".in.json").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      JsonObject upstream = new JsonObject(read(in));
      int status = upstream.getInteger("status");
      JsonObject actual = new JsonObject()
          .put("status", MessagesToChat.clientStatus(status))
          .put("body", translation().error(status, upstream.getJsonObject("body")));
      compareJson(sibling(in, ".in.json", ".out.json"), actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> streams() {
    return cases("stream", ".sse").map(in -> DynamicTest.dynamicTest(name(in), () -> {
      List<Buffer> out = run(translation().stream(CLIENT_MODEL), read(in));
      ChatToMessagesSdkAccumulator acc = ChatToMessagesSdkAccumulator.replay(out);
      assertTrue(acc.ended(), "stream must end with message_stop or error");
      StringBuilder text = new StringBuilder();
      out.forEach(b -> text.append(b.toString(StandardCharsets.UTF_8)));
      Path expected = sibling(in, ".sse", ".events");
      if (UPDATE) write(expected, text.toString());
      assertEquals(read(expected), text.toString(), name(in));
    }));
  }

  /** Feeds a Chat SSE text to a translator the way the edge's SSE framer would, then ends it. */
  static List<Buffer> run(StreamTranslator translator, String sse) {
    List<Buffer> out = new ArrayList<>();
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
      if (data != null) translator.onEvent(event, Buffer.buffer(data.toString()), out);
    }
    translator.onEnd(out);
    return out;
  }

  private static void compareJson(Path expected, JsonObject actual) {
    if (UPDATE) write(expected, actual.encodePrettily() + "\n");
    JsonObject want = new JsonObject(read(expected));
    assertEquals(want.encodePrettily(), new JsonObject(actual.encode()).encodePrettily(), expected.getFileName().toString());
  }

  private static Stream<Path> cases(String dir, String suffix) {
    try {
      Path root = Paths.get(MessagesToChatGoldenTest.class.getResource("/fixtures/anthropic-to-chat/" + dir).toURI());
      List<Path> files;
      try (Stream<Path> list = Files.list(root)) {
        files = list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
      }
      assertFalse(files.isEmpty(), "no fixtures in " + dir);
      return files.stream();
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String name(Path p) {
    return p.getParent().getFileName() + "/" + p.getFileName();
  }

  private static Path sibling(Path in, String suffix, String replacement) {
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
    String s = p.toString().replace("target/test-classes", "src/test/resources");
    return Paths.get(s);
  }
}
