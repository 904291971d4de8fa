package dev.switchboard.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The upstream channel types, set up exactly as the protocol matrix sets them up: one channel
 * per type against one {@link MockUpstream}, each exposing model {@code m-<type>}. Also knows
 * how each upstream protocol carries a tool call and its result, so SDK tests can check what
 * the mock received in a tool round trip.
 */
enum Upstream {
  OPENAI("openai"),
  ANTHROPIC("anthropic"),
  GEMINI("gemini"),
  RESPONSES("openai-responses"),
  AZURE("azure-openai");

  static final String TOOL = "get_weather";
  static final JsonObject TOOL_ARGS = new JsonObject().put("city", "Oslo");
  static final String TOOL_ARGS_JSON = TOOL_ARGS.encode();
  static final String TOOL_RESULT = "Sunny, 21C";

  final String type;

  Upstream(String type) {
    this.type = type;
  }

  String model() {
    return "m-" + type;
  }

  /**
   * Runs {@code call}, which must throw {@code type}; any other outcome fails with what was
   * thrown instead (its message holds the gateway's answer), not only its class name.
   */
  static <T extends Throwable> T expect(Class<T> type, org.junit.jupiter.api.function.Executable call) {
    try {
      call.execute();
    } catch (Throwable t) {
      if (type.isInstance(t)) return type.cast(t);
      throw new AssertionError("expected " + type.getName() + " but got " + t, t);
    }
    throw new AssertionError("expected " + type.getName() + " but nothing was thrown");
  }

  /** The key of the same gateway whose answers carry their cost ({@code returnCost}). */
  static String costly(String clientKey) {
    return clientKey + "-with-cost";
  }

  /**
   * A gateway with one channel per upstream type on {@code mock}, every model priced, and two
   * client keys: {@code clientKey}, and {@link #costly} of it with {@code returnCost}.
   */
  static TestGateway gateway(Vertx vertx, MockUpstream mock, String clientKey) {
    var builder = TestGateway.builder(vertx).clientKey("client", clientKey).routing("retries", 0)
        .apiKey(new JsonObject().put("name", "costly").put("key", costly(clientKey)).put("returnCost", true));
    JsonObject prices = new JsonObject();
    for (Upstream u : values()) {
      prices.put(u.model(), new JsonObject().put("input", 2.5).put("output", 10).put("cacheRead", 1.25));
    }
    prices.put("m-azure-deployment", prices.getJsonObject("m-azure-openai"));
    builder.pricing("models", prices);
    for (Upstream u : values()) {
      String base = switch (u) {
        case GEMINI -> mock.geminiBaseUrl();
        case AZURE -> mock.azureBaseUrl();
        default -> mock.baseUrl();
      };
      JsonObject channel = TestGateway.channel("ch-" + u.type, base, u.model()).put("type", u.type)
          .put("keys", new JsonArray().add("sk-up-" + u.type));
      if (u == AZURE) {
        channel.put("modelMap", new JsonObject().put(u.model(), "m-azure-deployment"));
      }
      builder.channel(channel);
    }
    return builder.start();
  }

  /**
   * For a Gemini upstream that thought before calling: the model turn sent back must carry the
   * {@code thoughtSignature} Gemini put on the {@code functionCall} part (Gemini 2.5 and 3
   * refuse a function-calling turn whose signature is gone). Other upstreams: nothing to check.
   */
  void assertThoughtSignatureReturned(RecordedRequest seen) {
    if (this != GEMINI) return;
    for (Object o : seen.body().getJsonArray("contents")) {
      JsonObject c = (JsonObject) o;
      if (!"model".equals(c.getString("role"))) continue;
      for (Object p : c.getJsonArray("parts", new JsonArray())) {
        JsonObject part = (JsonObject) p;
        if (part.getJsonObject("functionCall") != null) {
          String sig = part.getString("thoughtSignature");
          assertTrue(sig != null && !sig.isEmpty(), "thoughtSignature on the functionCall part: " + seen.body().encode());
          return;
        }
      }
    }
    throw new AssertionError("no model functionCall part: " + seen.body().encode());
  }

  /**
   * Checks the second request of a tool round trip as the upstream got it: the assistant turn
   * holds the call ({@link #TOOL} with {@link #TOOL_ARGS}) and a later turn holds its result
   * ({@link #TOOL_RESULT}), linked by the call's id in the upstream's own protocol (by name for
   * Gemini, and by id too when the call carries one). {@code clientCallId}, when not null, is
   * the id the client SDK saw, and the upstream must get the same one back.
   */
  void assertToolRoundTrip(RecordedRequest seen, String clientCallId) {
    JsonObject body = seen.body();
    assertNotNull(body, "second request body");
    String where = "second upstream request: " + body.encode();
    switch (this) {
      case OPENAI, AZURE -> {
        JsonArray messages = body.getJsonArray("messages");
        JsonObject call = null;
        JsonObject result = null;
        for (Object o : messages) {
          JsonObject m = (JsonObject) o;
          if ("assistant".equals(m.getString("role")) && m.getJsonArray("tool_calls") != null) {
            call = m.getJsonArray("tool_calls").getJsonObject(0);
          }
          if ("tool".equals(m.getString("role"))) {
            result = m;
          }
        }
        assertNotNull(call, "assistant tool_calls; " + where);
        assertNotNull(result, "role=tool message; " + where);
        assertEquals("function", call.getString("type"), where);
        assertEquals(TOOL, call.getJsonObject("function").getString("name"), where);
        assertEquals(TOOL_ARGS, new JsonObject(call.getJsonObject("function").getString("arguments")), where);
        assertEquals(call.getString("id"), result.getString("tool_call_id"), "linked by id; " + where);
        assertTrue(String.valueOf(result.getValue("content")).contains(TOOL_RESULT), where);
        if (clientCallId != null) assertEquals(clientCallId, call.getString("id"), where);
      }
      case ANTHROPIC -> {
        JsonObject call = null;
        JsonObject result = null;
        for (Object o : body.getJsonArray("messages")) {
          JsonObject m = (JsonObject) o;
          if (!(m.getValue("content") instanceof JsonArray blocks)) continue;
          for (Object b : blocks) {
            JsonObject block = (JsonObject) b;
            if ("assistant".equals(m.getString("role")) && "tool_use".equals(block.getString("type"))) call = block;
            if ("user".equals(m.getString("role")) && "tool_result".equals(block.getString("type"))) result = block;
          }
        }
        assertNotNull(call, "assistant tool_use block; " + where);
        assertNotNull(result, "user tool_result block; " + where);
        assertEquals(TOOL, call.getString("name"), where);
        assertEquals(TOOL_ARGS, call.getJsonObject("input"), where);
        assertEquals(call.getString("id"), result.getString("tool_use_id"), "linked by id; " + where);
        assertTrue(String.valueOf(result.getValue("content")).contains(TOOL_RESULT), where);
        if (clientCallId != null) assertEquals(clientCallId, call.getString("id"), where);
      }
      case GEMINI -> {
        JsonObject call = null;
        JsonObject result = null;
        for (Object o : body.getJsonArray("contents")) {
          JsonObject c = (JsonObject) o;
          for (Object p : c.getJsonArray("parts", new JsonArray())) {
            JsonObject part = (JsonObject) p;
            if ("model".equals(c.getString("role")) && part.getJsonObject("functionCall") != null) {
              call = part.getJsonObject("functionCall");
            }
            if (part.getJsonObject("functionResponse") != null) result = part.getJsonObject("functionResponse");
          }
        }
        assertNotNull(call, "model functionCall part; " + where);
        assertNotNull(result, "functionResponse part; " + where);
        assertEquals(TOOL, call.getString("name"), where);
        assertEquals(TOOL_ARGS, call.getJsonObject("args"), where);
        assertEquals(TOOL, result.getString("name"), "linked by name; " + where);
        if (call.getString("id") != null) assertEquals(call.getString("id"), result.getString("id"), where);
        assertTrue(result.getJsonObject("response").encode().contains(TOOL_RESULT), where);
      }
      case RESPONSES -> {
        JsonObject call = null;
        JsonObject result = null;
        assertTrue(body.getValue("input") instanceof JsonArray, where);
        for (Object o : body.getJsonArray("input")) {
          JsonObject item = (JsonObject) o;
          if ("function_call".equals(item.getString("type"))) call = item;
          if ("function_call_output".equals(item.getString("type"))) result = item;
        }
        assertNotNull(call, "function_call item; " + where);
        assertNotNull(result, "function_call_output item; " + where);
        assertEquals(TOOL, call.getString("name"), where);
        assertEquals(TOOL_ARGS, new JsonObject(call.getString("arguments")), where);
        assertEquals(call.getString("call_id"), result.getString("call_id"), "linked by call_id; " + where);
        assertTrue(String.valueOf(result.getValue("output")).contains(TOOL_RESULT), where);
        if (clientCallId != null) assertEquals(clientCallId, call.getString("call_id"), where);
      }
    }
  }
}
