package dev.switchboard.translate.anthropic;

import dev.switchboard.stats.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Recorded-style Anthropic streams ({@code stream/<name>.sse}) in, Chat chunks out
 * ({@code stream/<name>.json}: {@code includeUsage}, how the upstream ends — {@code "eof"} or
 * {@code {"error": message}} — the expected chunks, and the usage the translator reports).
 */
class AnthropicToChatStreamTest {

  @TestFactory
  Stream<DynamicTest> streamFixtures() {
    return Fixtures.files("stream", ".sse").stream().map(p -> DynamicTest.dynamicTest(Fixtures.name(p), () -> run(p)));
  }

  private static void run(Path sse) {
    JsonObject expected = Fixtures.json(sse.resolveSibling(Fixtures.name(sse) + ".json"));
    AnthropicToChatStream stream = Fixtures.translation()
        .stream(expected.getString("clientModel", "gpt-4o"), expected.getBoolean("includeUsage", false));
    List<Buffer> out = new ArrayList<>();
    Fixtures.feed(stream, Fixtures.text(sse), out);
    Object end = expected.getValue("end", "eof");
    if (end instanceof JsonObject e) stream.onError(e.getString("error"), out);
    else stream.onEnd(out);
    Fixtures.assertJson(expected.getJsonArray("chunks"), Fixtures.parse(out), Fixtures.name(sse));
    JsonObject u = expected.getJsonObject("usage");
    Usage want = u == null ? null
        : new Usage(u.getLong("input"), u.getLong("output"), u.getLong("cached"), u.getLong("reasoning"));
    Fixtures.assertJson(want, stream.usage(), Fixtures.name(sse) + " usage");
  }
}
