package dev.switchboard.translate.responses;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.openai.ChatUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chat Completions chunks in, Responses events out ({@code translation-matrix.md} §7.3). The
 * stream opens with {@code response.created} and {@code response.in_progress}; output indexes are
 * handed out when an item is added, so they are dense and in order (P4); each Chat tool-call index
 * is its own function_call item, started once its id and name are known (P5, P6). The terminal
 * {@code response.completed} or {@code response.incomplete} carries the full output and the usage
 * of the chunk OpenAI sends after the finish chunk (P7); a stream that breaks off ends with
 * {@code response.failed} instead of a silent close (P8, P9).
 */
final class ResponsesToChatStream implements StreamTranslator {

  /** One Chat tool call as it is assembled; {@code index} is its output index once added. */
  private static final class Tool {
    String callId;
    String itemId;
    String name;
    ResponsesToolNames.Declared declared; // set when the client declared it as custom or namespaced
    final StringBuilder args = new StringBuilder();
    int sent; // how much of args went out as deltas
    int index = -1;
  }

  private final JsonObject clientRequest;
  private final ResponsesToolNames names;
  private final String model;
  private final long createdAt;
  private final String mintedId;
  private final ResponsesEvents events = new ResponsesEvents();
  private final List<JsonObject> output = new ArrayList<>(); // done items by output index, null while open
  private final TreeMap<Integer, Tool> tools = new TreeMap<>();
  private final Set<String> itemIds = new HashSet<>();
  private ResponsesToChatMessage message;
  private String base;
  private JsonObject response;
  private String reasoningId;
  private int reasoningIndex = -1;
  private final StringBuilder reasoning = new StringBuilder();
  private int reasoningItems;
  private int messageItems;
  private boolean finished;
  private boolean closed;
  private Object finishReason;
  private JsonObject chatUsage;

  /** {@code clientRequest}, when known, names custom and namespaced tools and the parameters to echo. */
  ResponsesToChatStream(String model, long createdAt, String mintedId, JsonObject clientRequest) {
    this.clientRequest = clientRequest;
    this.names = ResponsesToolNames.of(clientRequest);
    this.model = model;
    this.createdAt = createdAt;
    this.mintedId = mintedId;
  }

  @Override
  public void onEvent(String event, Buffer data, List<Buffer> out) {
    if (data == null || closed) return;
    String text = data.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) return;
    if (text.equals("[DONE]")) {
      complete(out);
      return;
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      fail("server_error", "The upstream sent a malformed stream event.", out);
      return;
    }
    boolean hasUsage = chunk.getValue("usage") instanceof JsonObject;
    if (hasUsage) chatUsage = chunk.getJsonObject("usage");
    Object error = chunk.getValue("error");
    if (error instanceof JsonObject || error instanceof String) {
      JsonObject e = OpenAiErrors.envelope(500, chunk).getJsonObject("error");
      String code = "rate_limit_error".equals(e.getValue("type")) || "rate_limit_exceeded".equals(e.getValue("code"))
          ? "rate_limit_exceeded" : "server_error";
      fail(code, e.getString("message"), out);
      return;
    }
    if (response == null) start(chunk.getValue("id"), out);
    boolean wasFinished = finished;
    if (!finished && chunk.getValue("choices") instanceof JsonArray choices) {
      for (Object c : choices) {
        if (c instanceof JsonObject choice && !(choice.getValue("index") instanceof Number n && n.intValue() != 0)) {
          choice(choice, out);
          break;
        }
      }
    }
    // OpenAI sends usage in its own chunk after the finish chunk: that is the moment to end
    if (wasFinished && hasUsage) complete(out);
  }

  @Override
  public void onEnd(List<Buffer> out) {
    if (closed) return;
    // a finish reason was given, only [DONE] is missing: the answer itself is whole
    if (finished) complete(out);
    else fail("server_error", "The upstream stream ended before the answer was complete.", out);
  }

  @Override
  public void onError(String message, List<Buffer> out) {
    fail("server_error", message == null || message.isBlank() ? "The upstream failed." : message, out);
  }

  @Override
  public Usage usage() {
    return chatUsage == null ? null : ChatUsage.parse(chatUsage);
  }

  private void choice(JsonObject choice, List<Buffer> out) {
    if (choice.getValue("delta") instanceof JsonObject delta) {
      String thinking = ResponsesToChatAnswer.reasoning(delta);
      if (!thinking.isEmpty()) reasoningDelta(thinking, out);
      if (delta.getValue("content") instanceof String content && !content.isEmpty()) messageDelta(false, content, out);
      if (delta.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) messageDelta(true, refusal, out);
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object c : calls) if (c instanceof JsonObject call) toolDelta(call, out);
      }
    }
    // some OpenAI-compatible upstreams send "" on every chunk that does not finish
    if (choice.getValue("finish_reason") instanceof String reason && !reason.isEmpty()) finish(reason, out);
  }

  private void reasoningDelta(String text, List<Buffer> out) {
    if (reasoningId == null) {
      closeMessage(out);
      reasoningId = "rs_" + base + (reasoningItems++ == 0 ? "" : "_" + output.size());
      reasoningIndex = add(ResponsesObjects.reasoning(reasoningId, null), out);
      out.add(events.event("response.reasoning_summary_part.added", ResponsesEvents.at(reasoningId, reasoningIndex)
          .put("summary_index", 0).put("part", ResponsesObjects.summaryText(""))));
    }
    reasoning.append(text);
    out.add(events.event("response.reasoning_summary_text.delta", ResponsesEvents.at(reasoningId, reasoningIndex)
        .put("summary_index", 0).put("delta", text)));
  }

  private void closeReasoning(List<Buffer> out) {
    if (reasoningId == null) return;
    String text = reasoning.toString();
    JsonObject at = ResponsesEvents.at(reasoningId, reasoningIndex).put("summary_index", 0);
    out.add(events.event("response.reasoning_summary_text.done", at.copy().put("text", text)));
    out.add(events.event("response.reasoning_summary_part.done", at.copy().put("part", ResponsesObjects.summaryText(text))));
    done(reasoningIndex, ResponsesObjects.reasoning(reasoningId, text), out);
    reasoningId = null;
    reasoning.setLength(0);
  }

  private void messageDelta(boolean refusal, String text, List<Buffer> out) {
    if (message == null) {
      closeReasoning(out);
      String id = "msg_" + base + (messageItems++ == 0 ? "" : "_" + output.size());
      message = new ResponsesToChatMessage(id, add(ResponsesObjects.message(id, "in_progress", new JsonArray()), out), events);
    }
    message.delta(refusal, text, out);
  }

  private void closeMessage(List<Buffer> out) {
    if (message == null) return;
    done(message.index(), message.close(out), out);
    message = null;
  }

  private void toolDelta(JsonObject call, List<Buffer> out) {
    Tool tool = tools.computeIfAbsent(toolIndex(call), k -> new Tool());
    if (call.getValue("id") instanceof String id && !id.isEmpty() && tool.callId == null) tool.callId = id;
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (function.getValue("name") instanceof String name && !name.isEmpty() && tool.name == null) tool.name = name;
    if (function.getValue("arguments") instanceof String a) tool.args.append(a);
    if (tool.index < 0 && tool.callId != null && tool.name != null) startTool(tool, out);
    else if (tool.index >= 0) flushArgs(tool, out);
  }

  /** Chat's own index; a provider that omits it is followed by id, else by the call in progress (P5). */
  private int toolIndex(JsonObject call) {
    if (call.getValue("index") instanceof Number n) return n.intValue();
    if (call.getValue("id") instanceof String id && !id.isEmpty()) {
      for (Map.Entry<Integer, Tool> e : tools.entrySet()) if (id.equals(e.getValue().callId)) return e.getKey();
      return tools.isEmpty() ? 0 : tools.lastKey() + 1;
    }
    return tools.isEmpty() ? 0 : tools.lastKey();
  }

  private void startTool(Tool tool, List<Buffer> out) {
    closeReasoning(out);
    closeMessage(out);
    if (tool.callId == null) tool.callId = "call_" + base + "_" + output.size();
    if (tool.name == null) tool.name = "";
    tool.declared = names.declared(tool.name);
    String prefix = custom(tool) ? "ctc_" : "fc_";
    // item ids must be unique even when an upstream repeats a call id
    tool.itemId = itemIds.add(prefix + tool.callId) ? prefix + tool.callId : prefix + tool.callId + "_" + output.size();
    tool.index = add(ResponsesObjects.call(tool.itemId, tool.callId, tool.name, "", "in_progress", tool.declared), out);
    flushArgs(tool, out);
  }

  private void flushArgs(Tool tool, List<Buffer> out) {
    // a custom tool's input is inside the JSON arguments: it goes out whole at the end
    if (tool.sent == tool.args.length() || custom(tool)) return;
    out.add(events.event("response.function_call_arguments.delta", ResponsesEvents.at(tool.itemId, tool.index)
        .put("delta", tool.args.substring(tool.sent))));
    tool.sent = tool.args.length();
  }

  private void finish(Object reason, List<Buffer> out) {
    finished = true;
    finishReason = reason;
    closeReasoning(out);
    closeMessage(out);
    for (Tool tool : tools.values()) {
      if (tool.index < 0) {
        if (tool.name == null && tool.args.length() == 0) continue; // an empty id-less fragment is noise, not a call
        startTool(tool, out);
      }
      String args = custom(tool) ? customInput(tool, out) : tool.args.toString();
      if (!custom(tool)) {
        out.add(events.event("response.function_call_arguments.done", ResponsesEvents.at(tool.itemId, tool.index)
            .put("name", tool.declared == null ? tool.name : tool.declared.name()).put("arguments", args)));
      }
      done(tool.index, ResponsesObjects.call(tool.itemId, tool.callId, tool.name, args, "completed", tool.declared), out);
    }
  }

  private static boolean custom(Tool tool) {
    return tool.declared != null && tool.declared.custom();
  }

  private String customInput(Tool tool, List<Buffer> out) {
    String input = ResponsesToolNames.customInput(tool.args.toString());
    JsonObject at = ResponsesEvents.at(tool.itemId, tool.index);
    if (!input.isEmpty()) out.add(events.event("response.custom_tool_call_input.delta", at.copy().put("delta", input)));
    out.add(events.event("response.custom_tool_call_input.done", at.put("input", input)));
    return input;
  }

  private void complete(List<Buffer> out) {
    if (closed) return;
    if (response == null) start(null, out);
    if (!finished) finish(null, out);
    closed = true;
    String incomplete = ResponsesObjects.incompleteReason(finishReason);
    ResponsesObjects.finish(response, incomplete, chatUsage == null ? null : ResponsesObjects.usage(chatUsage));
    response.put("output", new JsonArray(new ArrayList<>(output)));
    String type = incomplete == null ? "response.completed" : "response.incomplete";
    out.add(events.event(type, new JsonObject().put("response", response)));
  }

  private void fail(String code, String message, List<Buffer> out) {
    if (closed) return;
    if (response == null) start(null, out);
    closed = true;
    ResponsesObjects.fail(response, code, message, chatUsage == null ? null : ResponsesObjects.usage(chatUsage));
    JsonArray done = new JsonArray();
    for (JsonObject item : output) if (item != null) done.add(item); // items still open are not part of the answer
    response.put("output", done);
    out.add(events.event("response.failed", new JsonObject().put("response", response)));
  }

  private void start(Object upstreamId, List<Buffer> out) {
    base = ResponsesObjects.baseId(upstreamId, mintedId);
    response = ResponsesObjects.response("resp_" + base, createdAt, model, "in_progress");
    ResponsesObjects.echo(response, clientRequest);
    out.add(events.event("response.created", new JsonObject().put("response", response)));
    out.add(events.event("response.in_progress", new JsonObject().put("response", response)));
  }

  private int add(JsonObject item, List<Buffer> out) {
    int index = output.size();
    output.add(null);
    out.add(events.event("response.output_item.added", new JsonObject().put("output_index", index).put("item", item)));
    return index;
  }

  private void done(int index, JsonObject item, List<Buffer> out) {
    output.set(index, item);
    out.add(events.event("response.output_item.done", new JsonObject().put("output_index", index).put("item", item)));
  }
}
