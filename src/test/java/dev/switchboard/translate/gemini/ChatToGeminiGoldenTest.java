package dev.switchboard.translate.gemini;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Chat clients over a Gemini upstream, by golden fixtures under {@code fixtures/chat-to-gemini/}
 * (format in {@link GeminiFixtures}). Every client stream is also replayed through the OpenAI
 * SDK's accumulation rules ({@link ChatSdkReplay}).
 */
class ChatToGeminiGoldenTest {

  private final GeminiFixtures fixtures = new GeminiFixtures("chat-to-gemini");
  private final ChatToGemini translation = GeminiFixtures.chatToGemini();

  @TestFactory
  Stream<DynamicTest> requests() {
    return fixtures.requests(translation);
  }

  @TestFactory
  Stream<DynamicTest> responses() {
    return fixtures.responses(translation);
  }

  @TestFactory
  Stream<DynamicTest> errors() {
    return fixtures.errors(translation, ChatToGemini::clientStatus);
  }

  @TestFactory
  Stream<DynamicTest> streams() {
    return fixtures.streams(translation, ChatSdkReplay::of);
  }
}
