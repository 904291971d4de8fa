package dev.switchboard.translate.responses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.models.responses.Response;
import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Codex CLI's custom (free-form) and namespaced (MCP) tools over a Chat upstream: offered as plain
 * functions, and, when the translation knows the request, answered as the client declared them
 * (with the request's parameters echoed in the response).
 */
class ResponsesCodexToolsTest {

  private static final JsonObject REQUEST = ResponsesFixtures.json(ResponsesFixtures.files("responses-to-chat", "request",
      "custom-and-namespace-tools-as-functions.json").get(0)).getJsonObject("in");
  private static final String PATCH = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch";

  @Test
  void aWholeAnswerGivesCustomToolCallsAndNamespacedFunctionCalls() {
    JsonObject completion = new JsonObject().put("id", "chatcmpl-1").put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0).put("finish_reason", "tool_calls").put("message", new JsonObject().put("role", "assistant")
            .put("tool_calls", new JsonArray()
                .add(call("call_p", "apply_patch", new JsonObject().put("input", PATCH).encode()))
                .add(call("call_g", "mcp__github__create_issue", "{\"title\":\"Bug\"}"))
                .add(call("call_s", "shell", "{\"command\":[\"ls\"]}"))))));
    JsonObject response = ResponsesFixtures.responsesToChat().response(completion, "codex-model", REQUEST);
    Response sdk = ResponsesSdk.parseResponse(response);
    assertEquals(PATCH, sdk.output().get(0).asCustomToolCall().input());
    assertEquals("apply_patch", sdk.output().get(0).asCustomToolCall().name());
    assertEquals("call_p", sdk.output().get(0).asCustomToolCall().callId());
    assertEquals("create_issue", sdk.output().get(1).asFunctionCall().name());
    assertEquals("mcp__github", sdk.output().get(1).asFunctionCall().namespace().get());
    assertEquals("shell", sdk.output().get(2).asFunctionCall().name());
    assertEquals(REQUEST.getJsonArray("tools"), response.getJsonArray("tools"), "the request's tools are echoed");
    assertEquals(4, sdk.tools().size());

    JsonObject plain = ResponsesFixtures.responsesToChat().response(completion, "codex-model");
    assertEquals("mcp__github__create_issue", plain.getJsonArray("output").getJsonObject(1).getString("name"),
        "without the request the Chat names are all there is");
  }

  @Test
  void aStreamedCustomToolCallArrivesWholeAsCustomToolInput() {
    StreamTranslator s = ResponsesFixtures.responsesToChat().stream("codex-model", REQUEST);
    List<Buffer> out = new ArrayList<>();
    String args = new JsonObject().put("input", PATCH).encode();
    chunk(s, toolDelta(0, "call_p", "apply_patch", args.substring(0, 12)), out);
    chunk(s, toolDelta(0, null, null, args.substring(12)), out);
    chunk(s, toolDelta(1, "call_g", "mcp__github__create_issue", "{\"title\":"), out);
    chunk(s, toolDelta(1, null, null, "\"Bug\"}"), out);
    chunk(s, "{\"id\":\"chatcmpl-2\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}", out);
    chunk(s, "{\"id\":\"chatcmpl-2\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9}}", out);

    ResponsesStreamCheck check = ResponsesStreamCheck.replay(out);
    assertEquals(REQUEST.getValue("tool_choice"), check.events.get(0).getJsonObject("response").getValue("tool_choice"));
    assertEquals(REQUEST.getValue("tool_choice"), check.terminal.getValue("tool_choice"));
    List<String> types = check.events.stream().map(e -> e.getString("type")).toList();
    assertTrue(types.contains("response.custom_tool_call_input.done"), types.toString());
    assertEquals(1, types.stream().filter("response.custom_tool_call_input.delta"::equals).count(), "the input goes out whole");
    Response sdk = check.sdkResponse;
    assertEquals(PATCH, sdk.output().get(0).asCustomToolCall().input());
    assertEquals("create_issue", sdk.output().get(1).asFunctionCall().name());
    assertEquals("{\"title\":\"Bug\"}", sdk.output().get(1).asFunctionCall().arguments());
  }

  private static JsonObject call(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  private static String toolDelta(int index, String id, String name, String arguments) {
    JsonObject function = new JsonObject().put("arguments", arguments);
    if (name != null) function.put("name", name);
    JsonObject call = new JsonObject().put("index", index).put("function", function);
    if (id != null) call.put("id", id).put("type", "function");
    return new JsonObject().put("id", "chatcmpl-2").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("delta", new JsonObject().put("tool_calls", new JsonArray().add(call))).putNull("finish_reason"))).encode();
  }

  private static void chunk(StreamTranslator s, String data, List<Buffer> out) {
    s.onEvent(null, Buffer.buffer(data), out);
  }
}
