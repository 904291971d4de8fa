package dev.switchboard.translate.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.TranslationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per {@code pitfalls.md} entry that concerns Gemini, in either direction. */
class GeminiPitfallsTest {

  private static final Set<String> CHAT_FINISH = Set.of("stop", "length", "tool_calls", "content_filter");

  private final ChatToGemini chatToGemini = GeminiFixtures.chatToGemini();
  private final GeminiToChat geminiToChat = GeminiFixtures.geminiToChat();

  private static List<Buffer> run(StreamTranslator t, String... events) {
    List<Buffer> out = new ArrayList<>();
    for (String e : events) t.onEvent(null, Buffer.buffer(e), out);
    t.onEnd(out);
    return out;
  }

  private static String gem(String parts, String finish) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":" + parts + "}"
        + (finish == null ? "" : ",\"finishReason\":\"" + finish + "\"") + ",\"index\":0}],\"responseId\":\"r\"}";
  }

  @Test
  void p2_roleOnceAndEachToolCallsIdAndNameOnlyInItsFirstDelta() {
    List<Buffer> out = run(chatToGemini.stream("m", true),
        gem("[{\"text\":\"a\"}]", null),
        gem("[{\"functionCall\":{\"name\":\"f\",\"args\":{\"x\":1}}},{\"text\":\"b\"}]", null),
        gem("[{\"functionCall\":{\"name\":\"f\",\"args\":{\"x\":2}}}]", "STOP"));
    ChatSdkReplay replay = ChatSdkReplay.of(out); // fails on a repeated role, id or name
    JsonArray calls = replay.message.getJsonArray("tool_calls");
    assertEquals("f", calls.getJsonObject(0).getJsonObject("function").getString("name"));
    assertEquals("f", calls.getJsonObject(1).getJsonObject("function").getString("name"));
    assertEquals("assistant", replay.message.getString("role"));
  }

  @Test
  void p5_parallelGeminiCallsGetDenseChatIndexesAndDistinctIds() {
    List<Buffer> out = run(chatToGemini.stream("m", false),
        gem("[{\"functionCall\":{\"name\":\"a\",\"args\":{}}},{\"functionCall\":{\"name\":\"b\",\"args\":{}}}]", null),
        gem("[{\"functionCall\":{\"name\":\"c\",\"args\":{}}}]", "STOP"));
    JsonArray calls = ChatSdkReplay.of(out).message.getJsonArray("tool_calls");
    assertEquals(3, calls.size());
    assertEquals(Set.of("call_r_0", "call_r_1", "call_r_2"),
        Set.of(calls.getJsonObject(0).getString("id"), calls.getJsonObject(1).getString("id"), calls.getJsonObject(2).getString("id")));
  }

  @Test
  void p5_p6_chatFragmentsRoutedByIndexBecomeWholeGeminiCalls() {
    List<Buffer> out = run(geminiToChat.stream("m"),
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"us\"}}]}}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"b\\\":2}\"}}]}}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"er\\\":1}\"}}]}}]}",
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "[DONE]");
    JsonArray calls = GeminiClientReplay.of(out).functionCalls;
    assertEquals(new JsonObject().put("user", 1), calls.getJsonObject(0).getJsonObject("args"));
    assertEquals(new JsonObject().put("b", 2), calls.getJsonObject(1).getJsonObject("args"));
  }

  @Test
  void p7_geminiUsageIsReplacedNeverSummedAndPartialUsageDoesNotWipeIt() {
    StreamTranslator t = chatToGemini.stream("m", true);
    run(t, "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":1}}",
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]}}],\"usageMetadata\":{\"trafficType\":\"ON_DEMAND\"}}",
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"c\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":3}}");
    assertEquals(new Usage(10, 3, 0, 0), t.usage());
  }

  @Test
  void p7_theGeminiFinishingEventWaitsForTheChatUsageChunk() {
    List<Buffer> out = run(geminiToChat.stream("m"),
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}],\"usage\":null}",
        "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}");
    GeminiClientReplay replay = GeminiClientReplay.of(out);
    assertEquals(7, replay.usage.getInteger("promptTokenCount"));
    assertEquals(9, replay.usage.getInteger("totalTokenCount"));
  }

  @Test
  void p9_midStreamErrorsAreInBandInTheClientsOwnShape() {
    JsonArray chat = GeminiFixtures.dataOf(run(chatToGemini.stream("m", false), gem("[{\"text\":\"a\"}]", null),
        "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}"));
    JsonObject chatError = chat.getJsonObject(chat.size() - 1).getJsonObject("error");
    assertEquals("The model is overloaded.", chatError.getString("message"));
    JsonArray gemini = GeminiFixtures.dataOf(run(geminiToChat.stream("m"),
        "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}", "{\"error\":{\"message\":\"slow down\",\"code\":\"rate_limit_exceeded\"}}"));
    JsonObject geminiError = gemini.getJsonObject(gemini.size() - 1).getJsonObject("error");
    assertEquals(new JsonObject().put("code", 429).put("message", "slow down").put("status", "RESOURCE_EXHAUSTED"), geminiError);
  }

  @Test
  void p11_functionResponsesMatchTheCallCountOrTheRequestIsRefused() {
    JsonObject ok = new JsonObject(GeminiFixtures.read(new GeminiFixtures("chat-to-gemini").dir("request")
        .resolve("parallel-tool-results-in-call-order-with-signature.in.json")));
    JsonArray contents = chatToGemini.request(ok, "m").getJsonArray("contents");
    long calls = contents.getJsonObject(1).getJsonArray("parts").stream().filter(p -> ((JsonObject) p).containsKey("functionCall")).count();
    long responses = contents.getJsonObject(2).getJsonArray("parts").stream().filter(p -> ((JsonObject) p).containsKey("functionResponse")).count();
    assertEquals(calls, responses);
    JsonObject missing = new JsonObject("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"tool_calls\":["
        + "{\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},{\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"a\",\"content\":\"1\"},{\"role\":\"user\",\"content\":\"y\"}]}");
    assertThrows(TranslationException.class, () -> chatToGemini.request(missing, "m"));
  }

  @Test
  void p12_idsAreNeverEmptyAndAGeminiIdSurvivesTheRoundTrip() {
    JsonObject answer = chatToGemini.response(new JsonObject(gem("[{\"functionCall\":{\"id\":\"fc9\",\"name\":\"f\",\"args\":{}}},"
        + "{\"functionCall\":{\"name\":\"g\",\"args\":{}}}]", "STOP")), "m");
    JsonArray calls = answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getJsonArray("tool_calls");
    String withGeminiId = calls.getJsonObject(0).getString("id");
    String minted = calls.getJsonObject(1).getString("id");
    assertFalse(withGeminiId.isEmpty() || minted.isEmpty());
    JsonObject next = new JsonObject().put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "go"))
        .add(answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message"))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", withGeminiId).put("content", "1"))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", minted).put("content", "2")));
    JsonArray contents = chatToGemini.request(next, "m").getJsonArray("contents");
    JsonArray modelParts = contents.getJsonObject(1).getJsonArray("parts");
    assertEquals("fc9", modelParts.getJsonObject(0).getJsonObject("functionCall").getString("id"));
    assertNull(modelParts.getJsonObject(1).getJsonObject("functionCall").getValue("id"), "a minted id is not Gemini's");
    JsonArray responses = contents.getJsonObject(2).getJsonArray("parts");
    assertEquals("fc9", responses.getJsonObject(0).getJsonObject("functionResponse").getString("id"));
    assertEquals("g", responses.getJsonObject(1).getJsonObject("functionResponse").getString("name"), "name from history");
  }

  @Test
  void p14_systemAndDeveloperMessagesAreAllHoistedInOrder() {
    JsonObject in = new JsonObject("{\"messages\":[{\"role\":\"developer\",\"content\":\"one\"},{\"role\":\"user\",\"content\":\"hi\"},"
        + "{\"role\":\"system\",\"content\":\"two\"}]}");
    assertEquals(new JsonArray().add(new JsonObject().put("text", "one")).add(new JsonObject().put("text", "two")),
        chatToGemini.request(in, "m").getJsonObject("systemInstruction").getJsonArray("parts"));
  }

  @Test
  void p15_unsupportedSchemaKeywordsNeverReachGemini() {
    JsonObject in = new JsonObject(GeminiFixtures.read(new GeminiFixtures("chat-to-gemini").dir("request")
        .resolve("tools-schemas-cleaned-for-gemini.in.json")));
    String schema = chatToGemini.request(in, "m").getJsonArray("tools").encode();
    for (String keyword : List.of("$schema", "$id", "$ref", "$defs", "const", "exclusiveMinimum", "pattern", "minLength",
        "default", "examples", "patternProperties", "propertyNames", "uniqueItems", "allOf", "\"if\"", "\"not\"", "strict")) {
      assertFalse(schema.contains(keyword), keyword + " in " + schema);
    }
    assertFalse(schema.contains("[\"string\",\"null\"]"), "array-valued type");
  }

  @Test
  void p15_chainedAndMutuallyRecursiveRefsAreInlinedAndStop() {
    JsonObject schema = new JsonObject("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/alias\"},"
        + "\"loop\":{\"$ref\":\"#/$defs/ping\"}},\"$defs\":{\"alias\":{\"$ref\":\"#/$defs/target\"},"
        + "\"target\":{\"type\":\"string\",\"description\":\"T\"},"
        + "\"ping\":{\"type\":\"object\",\"properties\":{\"pong\":{\"$ref\":\"#/$defs/pong\"}}},"
        + "\"pong\":{\"type\":\"object\",\"properties\":{\"ping\":{\"$ref\":\"#/$defs/ping\"}}}}}");
    JsonObject cleaned = GeminiSchemas.forGemini(schema);
    assertEquals(new JsonObject().put("type", "string").put("description", "T"), cleaned.getJsonObject("properties").getJsonObject("a"));
    JsonObject ping = cleaned.getJsonObject("properties").getJsonObject("loop");
    JsonObject pong = ping.getJsonObject("properties").getJsonObject("pong");
    assertEquals(new JsonObject().put("type", "object"), pong.getJsonObject("properties").getJsonObject("ping"), "the cycle stops");
    assertFalse(cleaned.encode().contains("$ref") || cleaned.encode().contains("$defs"));
  }

  @Test
  void p17_penaltiesGoToGemini25ButNotToGemini3() {
    JsonObject in = new JsonObject("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"presence_penalty\":0.5,\"frequency_penalty\":0.2}");
    JsonObject old = chatToGemini.request(in, "gemini-2.5-flash").getJsonObject("generationConfig");
    assertEquals(0.5, old.getDouble("presencePenalty"));
    assertEquals(0.2, old.getDouble("frequencyPenalty"));
    assertNull(chatToGemini.request(in, "models/gemini-3-pro-preview").getValue("generationConfig"));
  }

  @Test
  void p20_aGeminiSignatureTravelsInExtraContentAndComesBackOnItsCall() {
    JsonObject answer = chatToGemini.response(new JsonObject(gem("[{\"functionCall\":{\"name\":\"f\",\"args\":{}},\"thoughtSignature\":\"SIG\"},"
        + "{\"functionCall\":{\"name\":\"g\",\"args\":{}}}]", "STOP")), "m");
    JsonObject message = answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    JsonObject next = new JsonObject().put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "go"))
        .add(message)
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_r_0").put("content", "1"))
        .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_r_1").put("content", "2")));
    JsonArray parts = chatToGemini.request(next, "m").getJsonArray("contents").getJsonObject(1).getJsonArray("parts");
    assertEquals("SIG", parts.getJsonObject(0).getString("thoughtSignature"));
    assertNull(parts.getJsonObject(1).getValue("thoughtSignature"), "only the first parallel call carries one");
  }

  @Test
  void p20_geminiSignaturesAreNotForwardedToAChatUpstream() {
    JsonObject in = new JsonObject("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"go\"}]},{\"role\":\"model\",\"parts\":"
        + "[{\"functionCall\":{\"name\":\"f\",\"args\":{}},\"thoughtSignature\":\"SIG\"}]},{\"role\":\"user\",\"parts\":"
        + "[{\"functionResponse\":{\"name\":\"f\",\"response\":{\"output\":\"1\"}}}]}]}");
    assertFalse(geminiToChat.request(in, "m").encode().contains("SIG"));
  }

  @Test
  void p21_p22_thoughtsAreAddedToCompletionAndCachedTokensStayInsidePrompt() {
    JsonObject usage = chatToGemini.response(new JsonObject("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":100,\"cachedContentTokenCount\":60,\"candidatesTokenCount\":10,\"thoughtsTokenCount\":30,"
        + "\"totalTokenCount\":140}}"), "m").getJsonObject("usage");
    assertEquals(100, usage.getInteger("prompt_tokens"));
    assertEquals(40, usage.getInteger("completion_tokens"));
    assertEquals(140, usage.getInteger("total_tokens"));
    assertEquals(60, usage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens"));
    assertEquals(30, usage.getJsonObject("completion_tokens_details").getInteger("reasoning_tokens"));
    JsonObject back = geminiToChat.response(new JsonObject("{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":40,\"total_tokens\":140,\"prompt_tokens_details\":{\"cached_tokens\":60},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":30}}}"), "m").getJsonObject("usageMetadata");
    assertEquals(new JsonObject("{\"promptTokenCount\":100,\"candidatesTokenCount\":10,\"cachedContentTokenCount\":60,"
        + "\"thoughtsTokenCount\":30,\"totalTokenCount\":140}"), back);
  }

  @Test
  void p23_p25_aGeminiStopWithFunctionCallsIsToolCallsAndOnlyThen() {
    JsonObject withCall = chatToGemini.response(new JsonObject(gem("[{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]", "STOP")), "m");
    assertEquals("tool_calls", withCall.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    JsonObject malformed = chatToGemini.response(new JsonObject(gem("[{\"text\":\"x\"}]", "MALFORMED_FUNCTION_CALL")), "m");
    assertEquals("stop", malformed.getJsonArray("choices").getJsonObject(0).getString("finish_reason"), "no call was emitted");
  }

  @Test
  void p24_onlyChatEnumFinishReasonsComeOut() {
    for (String reason : List.of("STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "LANGUAGE", "OTHER", "BLOCKLIST", "PROHIBITED_CONTENT",
        "SPII", "MALFORMED_FUNCTION_CALL", "IMAGE_SAFETY", "UNEXPECTED_TOOL_CALL", "TOO_MANY_TOOL_CALLS", "FINISH_REASON_UNSPECIFIED", "NEW")) {
      JsonArray chunks = GeminiFixtures.dataOf(run(chatToGemini.stream("m", false), gem("[{\"text\":\"x\"}]", reason)));
      String finish = chunks.getJsonObject(chunks.size() - 2).getJsonArray("choices").getJsonObject(0).getString("finish_reason");
      assertTrue(CHAT_FINISH.contains(finish), reason + " -> " + finish);
      assertFalse(chunks.encode().contains(reason.toLowerCase()) && !CHAT_FINISH.contains(reason.toLowerCase()), "raw reason leaked");
    }
  }

  @Test
  void p26_overloadAndQuotaStayApartAndGeminiClientsNeverSee529() {
    assertEquals(503, GeminiToChat.clientStatus(529));
    assertEquals("UNAVAILABLE", geminiToChat.error(529, new JsonObject()).getJsonObject("error").getString("status"));
    assertEquals("RESOURCE_EXHAUSTED", geminiToChat.error(429, new JsonObject()).getJsonObject("error").getString("status"));
    assertEquals("overloaded", chatToGemini.error(503, new JsonObject("{\"error\":{\"status\":\"UNAVAILABLE\"}}")).getJsonObject("error").getString("code"));
    assertEquals("rate_limit_exceeded", chatToGemini.error(429, new JsonObject("{\"error\":{\"status\":\"RESOURCE_EXHAUSTED\"}}"))
        .getJsonObject("error").getString("code"));
  }

  @Test
  void p27_anInvalidGeminiKeyIsAnAuthErrorForChatClients() {
    JsonObject body = new JsonObject("{\"error\":{\"code\":400,\"message\":\"API key not valid.\",\"status\":\"INVALID_ARGUMENT\","
        + "\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\"}]}}");
    assertEquals(401, ChatToGemini.clientStatus(400, body));
    assertEquals("invalid_api_key", chatToGemini.error(400, body).getJsonObject("error").getString("code"));
    assertEquals(400, ChatToGemini.clientStatus(400, new JsonObject("{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\"}}")));
  }

  @Test
  void p28_anErrorInsideAOneElementArrayIsUnwrapped() {
    JsonArray chunks = GeminiFixtures.dataOf(run(chatToGemini.stream("m", false),
        "[{\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}]"));
    assertEquals("quota", chunks.getJsonObject(0).getJsonObject("error").getString("message"));
    assertEquals("rate_limit_error", chunks.getJsonObject(0).getJsonObject("error").getString("type"));
  }

  @Test
  void p29_dataUrlsAreParsedNotSliced() {
    JsonObject in = new JsonObject("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":"
        + "{\"url\":\"data:image/webp;charset=x;name=a.webp;base64,UklGR\"}}]}]}");
    assertEquals(new JsonObject().put("mimeType", "image/webp").put("data", "UklGR"),
        chatToGemini.request(in, "m").getJsonArray("contents").getJsonObject(0).getJsonArray("parts").getJsonObject(0).getJsonObject("inlineData"));
    JsonObject bad = new JsonObject("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:;base64,AA\"}}]}]}");
    assertThrows(TranslationException.class, () -> chatToGemini.request(bad, "m"));
  }
}
