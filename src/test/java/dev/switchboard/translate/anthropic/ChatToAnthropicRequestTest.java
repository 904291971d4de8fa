package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Chat requests in, Anthropic requests out: {@code request/*.json} holds {@code in} and either
 * the expected {@code out} or an {@code error} the 400 message must contain.
 */
class ChatToAnthropicRequestTest {

  private final ChatToAnthropic translation = ChatToAnthropicFixtures.translation();

  @TestFactory
  Stream<DynamicTest> requestFixtures() {
    return ChatToAnthropicFixtures.files("request", ".json").stream().map(p -> DynamicTest.dynamicTest(ChatToAnthropicFixtures.name(p), () -> {
      JsonObject fixture = ChatToAnthropicFixtures.json(p);
      JsonObject in = fixture.getJsonObject("in");
      String before = in.encode();
      String model = fixture.getString("upstreamModel", "claude-sonnet-4-5");
      if (fixture.containsKey("error")) {
        TranslationException e = assertThrows(TranslationException.class, () -> translation.request(in, model));
        assertTrue(e.getMessage().contains(fixture.getString("error")), e.getMessage());
      } else {
        ChatToAnthropicFixtures.assertJson(fixture.getJsonObject("out"), translation.request(in, model), ChatToAnthropicFixtures.name(p));
      }
      ChatToAnthropicFixtures.assertJson(before, in.encode(), "the client request is left as it was");
    }));
  }
}
