package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The two directions composed, as the edge will compose them when Chat is the pivot: a Chat
 * upstream stream turned into Responses events and those turned back into Chat chunks must give
 * openai-java's accumulator the same completion as the original chunks (text, refusal, tool
 * calls with their ids, finish reason, usage).
 */
class ResponsesRoundTripTest {

  /** Upstream quirks openai-java cannot accumulate itself (P6, P7); the golden tests cover them. */
  private static final Set<String> NOT_SDK_READABLE = Set.of("arguments-before-id-and-name", "usage-on-finish-chunk");

  @TestFactory
  Stream<DynamicTest> chatStreamsSurviveTheRoundTripThroughResponses() {
    return ResponsesFixtures.files("responses-to-chat", "stream", ".sse").stream()
        .filter(p -> !NOT_SDK_READABLE.contains(ResponsesFixtures.name(p)))
        .filter(p -> !ResponsesFixtures.json(p.resolveSibling(ResponsesFixtures.name(p) + ".json")).getJsonArray("events").stream()
            .anyMatch(e -> "response.failed".equals(((JsonObject) e).getValue("type"))))
        .map(p -> DynamicTest.dynamicTest(ResponsesFixtures.name(p), () -> roundTrip(p)));
  }

  /**
   * Responses -> Chat -> Responses keeps every call, its output and every function tool, by call id
   * and Chat name (custom and namespaced tools come back as the plain functions Chat knows).
   */
  @TestFactory
  Stream<DynamicTest> responsesRequestsSurviveTheRoundTripThroughChat() {
    return ResponsesFixtures.files("responses-to-chat", "request", ".json").stream()
        .filter(p -> ResponsesFixtures.json(p).containsKey("out"))
        .map(p -> DynamicTest.dynamicTest(ResponsesFixtures.name(p), () -> {
          JsonObject in = ResponsesFixtures.json(p).getJsonObject("in");
          JsonObject back = ResponsesFixtures.chatToResponses().request(ResponsesFixtures.responsesToChat().request(in, "m"), "m");
          assertEquals(calls(in), calls(back), "function calls and outputs");
          assertEquals(functionTools(in), functionTools(back), "function tools");
        }));
  }

  /** Answered calls and their outputs in order (a call left unanswered at the end is dropped on purpose). */
  private static List<String> calls(JsonObject request) {
    List<String> calls = new ArrayList<>();
    if (!(request.getValue("input") instanceof JsonArray input)) return calls;
    Set<Object> answered = new java.util.HashSet<>();
    for (Object o : input) {
      if (String.valueOf(((JsonObject) o).getValue("type")).endsWith("_output")) answered.add(((JsonObject) o).getValue("call_id"));
    }
    for (Object o : input) {
      JsonObject item = (JsonObject) o;
      String type = String.valueOf(item.getValue("type"));
      if ((type.equals("function_call") || type.equals("custom_tool_call")) && answered.contains(item.getValue("call_id"))) {
        calls.add("call " + item.getValue("call_id") + " " + chatName(item));
      } else if (type.endsWith("_output")) {
        calls.add("output " + item.getValue("call_id"));
      }
    }
    return calls;
  }

  /** Function and custom tools by the name Chat knows them under (namespaced ones flattened); hosted tools have none. */
  private static List<String> functionTools(JsonObject request) {
    List<String> names = new ArrayList<>();
    if (request.getValue("tools") instanceof JsonArray tools) {
      for (Object o : tools) {
        JsonObject t = (JsonObject) o;
        if ("function".equals(t.getValue("type")) || "custom".equals(t.getValue("type"))) names.add(t.getString("name"));
        if ("namespace".equals(t.getValue("type"))) {
          for (Object f : t.getJsonArray("tools")) names.add(chatName(((JsonObject) f).copy().put("namespace", t.getValue("name"))));
        }
      }
    }
    return names;
  }

  private static String chatName(JsonObject item) {
    return ResponsesToolNames.chatName(item.getString("namespace"), item.getString("name"));
  }

  private static void roundTrip(Path sse) {
    String upstream = ResponsesFixtures.text(sse);
    StreamTranslator toResponses = ResponsesFixtures.responsesToChat().stream("m");
    List<Buffer> events = new ArrayList<>();
    ResponsesFixtures.feed(toResponses, upstream, events);
    toResponses.onEnd(events);
    StreamTranslator toChat = ResponsesFixtures.chatToResponses().stream("m", true);
    List<Buffer> chunks = new ArrayList<>();
    for (Buffer e : events) ResponsesFixtures.feed(toChat, e.toString(StandardCharsets.UTF_8), chunks);
    toChat.onEnd(chunks);

    ChatCompletion original = accumulate(upstream);
    ChatCompletion back = ChatChunkCheck.replay(chunks).sdkCompletion;
    assertEquals(summary(original), summary(back));
  }

  private static ChatCompletion accumulate(String sse) {
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    for (String record : sse.split("\n\n")) {
      String data = record.startsWith("data: ") ? record.substring(6) : "";
      if (data.isEmpty() || data.equals("[DONE]")) continue;
      try {
        acc.accumulate(ObjectMappers.jsonMapper().readValue(data, ChatCompletionChunk.class));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return acc.chatCompletion();
  }

  /** What a client acts on, as JSON: ids that only name the answer are left out. */
  private static JsonObject summary(ChatCompletion c) {
    ChatCompletion.Choice choice = c.choices().get(0);
    JsonArray calls = new JsonArray();
    choice.message().toolCalls().ifPresent(list -> list.forEach(t -> calls.add(new JsonObject()
        .put("id", t.asFunction().id()).put("name", t.asFunction().function().name())
        .put("arguments", t.asFunction().function().arguments()))));
    JsonObject usage = c.usage().map(u -> new JsonObject().put("prompt", u.promptTokens()).put("completion", u.completionTokens())
        .put("cached", u.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L))
        .put("reasoning", u.completionTokensDetails().flatMap(d -> d.reasoningTokens()).orElse(0L))).orElse(null);
    return new JsonObject()
        .put("content", choice.message().content().orElse(""))
        .put("refusal", choice.message().refusal().orElse(""))
        .put("calls", calls)
        .put("finish", choice.finishReason().asString())
        .put("usage", usage);
  }
}
