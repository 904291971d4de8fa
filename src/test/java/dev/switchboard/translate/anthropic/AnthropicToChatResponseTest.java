package dev.switchboard.translate.anthropic;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Whole Anthropic answers and error bodies in, Chat completions and OpenAI error envelopes out. */
class AnthropicToChatResponseTest {

  private final ChatToAnthropic translation = ChatToAnthropicFixtures.translation();

  @TestFactory
  Stream<DynamicTest> responseFixtures() {
    return ChatToAnthropicFixtures.files("response", ".json").stream().map(p -> DynamicTest.dynamicTest(ChatToAnthropicFixtures.name(p), () -> {
      JsonObject fixture = ChatToAnthropicFixtures.json(p);
      JsonObject out = translation.response(fixture.getJsonObject("in"), fixture.getString("clientModel", "gpt-4o"));
      ChatToAnthropicFixtures.assertJson(fixture.getJsonObject("out"), out, ChatToAnthropicFixtures.name(p));
    }));
  }

  @TestFactory
  Stream<DynamicTest> errorFixtures() {
    return ChatToAnthropicFixtures.files("error", ".json").stream().map(p -> DynamicTest.dynamicTest(ChatToAnthropicFixtures.name(p), () -> {
      JsonObject fixture = ChatToAnthropicFixtures.json(p);
      JsonObject out = translation.error(fixture.getInteger("status"), fixture.getJsonObject("in"));
      ChatToAnthropicFixtures.assertJson(fixture.getJsonObject("out"), out, ChatToAnthropicFixtures.name(p));
    }));
  }

  @Test
  void anErrorBodyWithStatus200IsNotAnAnswer() {
    JsonObject body = new JsonObject("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
    TranslationException e = assertThrows(TranslationException.class, () -> translation.response(body, "gpt-4o"));
    assertTrue(e.getMessage().contains("Overloaded"), e.getMessage());
  }

  @Test
  void aBodyWithoutContentIsNotAnAnswer() {
    assertThrows(TranslationException.class, () -> translation.response(new JsonObject().put("id", "msg_1"), "gpt-4o"));
  }
}
