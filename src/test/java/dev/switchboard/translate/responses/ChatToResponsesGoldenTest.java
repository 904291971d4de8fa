package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.TranslationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden fixtures under {@code fixtures/chat-to-responses/}: {@code request/*.json} holds a Chat
 * request {@code in} and the Responses request {@code out} for model {@code gpt-up}, or the
 * {@code error} its 400 must mention; {@code response/*.json} a Response {@code in} and the
 * {@code chat.completion} {@code out}; {@code error/*.json} an upstream status and body and the
 * client's; {@code stream/X.sse} (Responses SSE as the upstream sent it) with {@code X.json}:
 * {@code includeUsage}, how the upstream ends, the exact chunks the Chat client receives, and the
 * usage the gateway records.
 */
class ChatToResponsesGoldenTest {

  private static final String DIRECTION = "chat-to-responses";
  private final ChatToResponses translation = ResponsesFixtures.chatToResponses();

  @TestFactory
  Stream<DynamicTest> requests() {
    return ResponsesFixtures.files(DIRECTION, "request", ".json").stream().map(p -> DynamicTest.dynamicTest(ResponsesFixtures.name(p), () -> {
      JsonObject fixture = ResponsesFixtures.json(p);
      JsonObject in = fixture.getJsonObject("in");
      String before = in.encode();
      if (fixture.containsKey("error")) {
        TranslationException e = assertThrows(TranslationException.class, () -> translation.request(in, "gpt-up"));
        assertTrue(e.getMessage().contains(fixture.getString("error")), e.getMessage());
      } else {
        ResponsesFixtures.expect(p, "out", translation.request(in, "gpt-up"));
      }
      assertEquals(before, in.encode(), "the client request is left as it was");
    }));
  }

  @TestFactory
  Stream<DynamicTest> responses() {
    return ResponsesFixtures.files(DIRECTION, "response", ".json").stream().map(p -> DynamicTest.dynamicTest(ResponsesFixtures.name(p), () -> {
      JsonObject fixture = ResponsesFixtures.json(p);
      JsonObject actual = translation.response(fixture.getJsonObject("in"), "chat-model");
      ResponsesSdk.parseCompletion(actual);
      ResponsesFixtures.expect(p, "out", actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> errors() {
    return ResponsesFixtures.files(DIRECTION, "error", ".json").stream().map(p -> DynamicTest.dynamicTest(ResponsesFixtures.name(p), () -> {
      JsonObject fixture = ResponsesFixtures.json(p);
      int status = fixture.getInteger("status");
      JsonObject actual = new JsonObject().put("status", ResponsesToChat.clientStatus(status))
          .put("body", translation.error(status, fixture.getJsonObject("in")));
      ResponsesFixtures.expect(p, "out", actual);
    }));
  }

  @TestFactory
  Stream<DynamicTest> streams() {
    return ResponsesFixtures.files(DIRECTION, "stream", ".sse").stream().map(sse -> DynamicTest.dynamicTest(ResponsesFixtures.name(sse), () -> {
      Path expected = sse.resolveSibling(ResponsesFixtures.name(sse) + ".json");
      JsonObject fixture = ResponsesFixtures.json(expected);
      StreamTranslator stream = translation.stream("chat-model", fixture.getBoolean("includeUsage", false));
      List<Buffer> out = new ArrayList<>();
      ResponsesFixtures.feed(stream, ResponsesFixtures.text(sse), out);
      if (fixture.getValue("end") instanceof JsonObject e) stream.onError(e.getString("error"), out);
      else stream.onEnd(out);
      ChatChunkCheck check = ChatChunkCheck.replay(out);
      assertTrue(check.ended(), "the client stream must end with [DONE] or an error");
      ResponsesFixtures.expect(expected, "chunks", ResponsesFixtures.chatChunks(out));
      Usage u = stream.usage();
      ResponsesFixtures.expect(expected, "usage", u == null ? null
          : new JsonObject().put("input", u.input()).put("output", u.output()).put("cached", u.cached()).put("reasoning", u.reasoning()));
    }));
  }
}
