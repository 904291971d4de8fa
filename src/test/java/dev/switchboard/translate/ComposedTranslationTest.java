package dev.switchboard.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pivot through OpenAI Chat, with two directions that label what passes through them. */
class ComposedTranslationTest {

  /** A direction that wraps everything it handles in its own tag, so the order is visible. */
  private record Tagging(Protocol client, Protocol upstream, String tag) implements Translation {
    @Override
    public JsonObject request(JsonObject clientRequest, String upstreamModel) {
      return clientRequest.copy().put("path", clientRequest.getString("path", "") + tag + ">").put("model", upstreamModel);
    }

    @Override
    public JsonObject response(JsonObject upstreamResponse, String clientModel) {
      return upstreamResponse.copy().put("path", upstreamResponse.getString("path", "") + "<" + tag);
    }

    @Override
    public StreamTranslator stream(String clientModel) {
      return stream(clientModel, false);
    }

    @Override
    public StreamTranslator stream(String clientModel, boolean includeUsage) {
      return new StreamTranslator() {
        @Override
        public void onEvent(String event, Buffer data, List<Buffer> out) {
          out.add(Buffer.buffer("data: " + tag + "(" + (event == null ? "" : event + ":") + data + ")\n\n"));
        }

        @Override
        public void onEnd(List<Buffer> out) {
          out.add(Buffer.buffer("data: " + tag + "-end\n\n"));
        }

        @Override
        public void onError(String message, List<Buffer> out) {
          out.add(Buffer.buffer("data: " + tag + "-error " + message + "\n\n"));
        }

        @Override
        public Usage usage() {
          return includeUsage ? new Usage(1, 2, 0, 0) : null;
        }
      };
    }

    @Override
    public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
      return new JsonObject().put("wrapped", upstreamError).put("by", tag);
    }
  }

  private static final Translation GEMINI_TO_CHAT = new Tagging(Protocol.GEMINI, Protocol.OPENAI_CHAT, "in");
  private static final Translation CHAT_TO_ANTHROPIC = new Tagging(Protocol.OPENAI_CHAT, Protocol.ANTHROPIC_MESSAGES, "out");

  private static String text(List<Buffer> out) {
    StringBuilder sb = new StringBuilder();
    out.forEach(b -> sb.append(b.toString(StandardCharsets.UTF_8)));
    return sb.toString();
  }

  @Test
  void directionsWithoutAClassOfTheirOwnGoThroughChat() {
    Translations t = Translations.of(GEMINI_TO_CHAT, CHAT_TO_ANTHROPIC);
    Translation composed = t.get(Protocol.GEMINI, Protocol.ANTHROPIC_MESSAGES);
    assertNotNull(composed);
    assertEquals(Protocol.GEMINI, composed.client());
    assertEquals(Protocol.ANTHROPIC_MESSAGES, composed.upstream());
    assertNull(t.get(Protocol.ANTHROPIC_MESSAGES, Protocol.GEMINI), "no way back without the reverse directions");
    assertNull(t.get(Protocol.GEMINI, Protocol.GEMINI), "equal protocols never translate");
    assertEquals(GEMINI_TO_CHAT, t.get(Protocol.GEMINI, Protocol.OPENAI_CHAT));
  }

  @Test
  void requestsGoInThenOutAndAnswersComeBackOutThenIn() {
    Translation composed = Translations.of(GEMINI_TO_CHAT, CHAT_TO_ANTHROPIC).get(Protocol.GEMINI, Protocol.ANTHROPIC_MESSAGES);
    JsonObject request = composed.request(new JsonObject().put("stream", true), "claude-x");
    assertEquals("in>out>", request.getString("path"));
    assertEquals("claude-x", request.getString("model"));
    assertEquals(true, request.getJsonObject("stream_options").getBoolean("include_usage"),
        "a streamed hop through Chat always asks for usage");
    assertEquals("<out<in", composed.response(new JsonObject(), "m").getString("path"));
    JsonObject error = composed.error(429, new JsonObject().put("e", 1));
    assertEquals("in", error.getString("by"));
    assertEquals("out", error.getJsonObject("wrapped").getString("by"));
  }

  @Test
  void streamsRunThroughBothStateMachinesAndEndOnce() {
    Translation composed = Translations.of(GEMINI_TO_CHAT, CHAT_TO_ANTHROPIC).get(Protocol.GEMINI, Protocol.ANTHROPIC_MESSAGES);
    StreamTranslator s = composed.stream("m", false);
    List<Buffer> out = new ArrayList<>();
    s.onEvent("message_start", Buffer.buffer("{}"), out);
    assertEquals("data: in(out(message_start:{}))\n\n", text(out));
    out.clear();
    s.onEnd(out);
    assertEquals("data: in(out-end)\n\ndata: in-end\n\n", text(out));
    assertEquals(new Usage(1, 2, 0, 0), s.usage(), "the upstream side's usage, asked for whatever the client wanted");

    List<Buffer> failed = new ArrayList<>();
    composed.stream("m", false).onError("lost", failed);
    assertTrue(text(failed).equals("data: in-error lost\n\n"), "the client side reports the failure in its own words");
  }
}
