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

  private final ChatToAnthropic translation = Fixtures.translation();

  @TestFactory
  Stream<DynamicTest> responseFixtures() {
    return Fixtures.files("response", ".json").stream().map(p -> DynamicTest.dynamicTest(Fixtures.name(p), () -> {
      JsonObject fixture = Fixtures.json(p);
      JsonObject out = translation.response(fixture.getJsonObject("in"), fixture.getString("clientModel", "gpt-4o"));
      Fixtures.assertJson(fixture.getJsonObject("out"), out, Fixtures.name(p));
    }));
  }

  @TestFactory
  Stream<DynamicTest> errorFixtures() {
    return Fixtures.files("error", ".json").stream().map(p -> DynamicTest.dynamicTest(Fixtures.name(p), () -> {
      JsonObject fixture = Fixtures.json(p);
      JsonObject out = translation.error(fixture.getInteger("status"), fixture.getJsonObject("in"));
      Fixtures.assertJson(fixture.getJsonObject("out"), out, Fixtures.name(p));
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
