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
    return ChatToAnthropicFixtures.files("stream", ".sse").stream().map(p -> DynamicTest.dynamicTest(ChatToAnthropicFixtures.name(p), () -> run(p)));
  }

  private static void run(Path sse) {
    JsonObject expected = ChatToAnthropicFixtures.json(sse.resolveSibling(ChatToAnthropicFixtures.name(sse) + ".json"));
    AnthropicToChatStream stream = ChatToAnthropicFixtures.translation()
        .stream(expected.getString("clientModel", "gpt-4o"), expected.getBoolean("includeUsage", false));
    List<Buffer> out = new ArrayList<>();
    ChatToAnthropicFixtures.feed(stream, ChatToAnthropicFixtures.text(sse), out);
    Object end = expected.getValue("end", "eof");
    if (end instanceof JsonObject e) stream.onError(e.getString("error"), out);
    else stream.onEnd(out);
    ChatToAnthropicFixtures.assertJson(expected.getJsonArray("chunks"), ChatToAnthropicFixtures.parse(out), ChatToAnthropicFixtures.name(sse));
    JsonObject u = expected.getJsonObject("usage");
    Usage want = u == null ? null
        : new Usage(u.getLong("input"), u.getLong("output"), u.getLong("cached"), u.getLong("reasoning"),
            u.getLong("cacheWrite5m", 0L), u.getLong("cacheWrite1h", 0L), false);
    ChatToAnthropicFixtures.assertJson(want, stream.usage(), ChatToAnthropicFixtures.name(sse) + " usage");
  }
}
