package dev.switchboard.translate.gemini;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Gemini clients over a Chat upstream, by golden fixtures under {@code fixtures/gemini-to-chat/}
 * (format in {@link GeminiFixtures}; request fixtures named {@code stream-*} are translated as
 * {@code streamGenerateContent} calls). Every client stream is also replayed the way
 * python-genai reads it ({@link GeminiClientReplay}).
 */
class GeminiToChatGoldenTest {

  private final GeminiFixtures fixtures = new GeminiFixtures("gemini-to-chat");
  private final GeminiToChat translation = GeminiFixtures.geminiToChat();

  @TestFactory
  Stream<DynamicTest> requests() {
    return fixtures.requests((file, request) -> translation.request(request, GeminiFixtures.UPSTREAM_MODEL,
        file.getFileName().toString().startsWith("stream-")));
  }

  @TestFactory
  Stream<DynamicTest> responses() {
    return fixtures.responses(translation);
  }

  @TestFactory
  Stream<DynamicTest> errors() {
    return fixtures.errors(translation, (status, body) -> GeminiToChat.clientStatus(status));
  }

  @TestFactory
  Stream<DynamicTest> streams() {
    return fixtures.streams(translation, GeminiClientReplay::of);
  }
}
