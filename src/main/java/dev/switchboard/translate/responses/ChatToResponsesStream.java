package dev.switchboard.translate.responses;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Responses stream events in, {@code chat.completion.chunk}s out ({@code translation-matrix.md}
 * §7.4). The role goes out once; each function_call item gets the next dense Chat tool index,
 * its id ({@code call_id}) and name only in its first delta, and argument fragments routed by
 * item id or output index (P2, P5). The stream ends with the finish chunk, the usage chunk if the
 * client asked for it, and {@code [DONE]}; or, when the upstream fails or stops before its
 * terminal event, with one in-band error (P8, P9).
 */
final class ChatToResponsesStream implements StreamTranslator {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final String clientModel;
  private final boolean includeUsage;
  private final long created;
  private final String minted;
  private final Map<String, Integer> toolsByItem = new HashMap<>();
  private final Map<Integer, Integer> toolsByOutput = new HashMap<>();
  private final List<StringBuilder> arguments = new ArrayList<>(); // what each tool call sent so far
  private String head; // {"id":..,"object":..,"created":..,"model":..,  shared by every chunk
  private String lastSummary; // item and summary index of the last reasoning text, to separate parts
  private JsonObject usage;
  private boolean done;

  ChatToResponsesStream(String clientModel, boolean includeUsage, long created, String minted) {
    this.clientModel = clientModel;
    this.includeUsage = includeUsage;
    this.created = created;
    this.minted = minted;
  }

  @Override
  public void onEvent(String event, Buffer data, List<Buffer> out) {
    if (done || data == null) return;
    String text = data.toString(StandardCharsets.UTF_8).strip();
    if (text.isEmpty() || text.equals("[DONE]")) return; // [DONE] alone proves nothing: the terminal event does
    JsonObject e;
    try {
      e = new JsonObject(text);
    } catch (DecodeException | ClassCastException malformed) {
      fail("upstream_malformed_event", "The upstream sent a malformed stream event.", out);
      return;
    }
    Object type = e.getValue("type") instanceof String t ? t : event;
    switch (type instanceof String t ? t : "") {
      case "response.created", "response.in_progress", "response.queued" ->
          begin(e.getValue("response") instanceof JsonObject r ? r.getValue("id") : null, out);
      case "response.output_text.delta" -> delta("content", e.getValue("delta"), out);
      case "response.refusal.delta" -> delta("refusal", e.getValue("delta"), out);
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> reasoning(e, out);
      case "response.output_item.added" -> {
        if (e.getValue("item") instanceof JsonObject item && "function_call".equals(item.getValue("type"))) toolStart(e, item, out);
      }
      case "response.function_call_arguments.delta" -> {
        Integer tool = tool(e);
        if (tool != null && e.getValue("delta") instanceof String d) args(tool, d, out);
      }
      case "response.function_call_arguments.done" -> catchUp(tool(e), e.getValue("arguments"), out);
      case "response.output_item.done" -> {
        if (e.getValue("item") instanceof JsonObject item && "function_call".equals(item.getValue("type"))) {
          Integer tool = tool(e) != null ? tool(e) : toolStart(e, item, out);
          catchUp(tool, item.getValue("arguments"), out);
        }
      }
      // Codex-style upstreams end with response.done (P8)
      case "response.completed", "response.incomplete", "response.done" ->
          finish(e.getValue("response") instanceof JsonObject r ? r : new JsonObject(), out);
      case "response.failed" -> {
        JsonObject r = e.getValue("response") instanceof JsonObject o ? o : new JsonObject();
        if (r.getValue("usage") instanceof JsonObject u) usage = u;
        JsonObject error = r.getValue("error") instanceof JsonObject o ? o : new JsonObject();
        fail(error.getValue("code") instanceof String c ? c : "server_error", message(error), out);
      }
      case "error" -> fail(e.getValue("code") instanceof String c ? c : "server_error", message(e), out);
      default -> { } // hosted-tool progress, annotations and events added later
    }
  }

  @Override
  public void onEnd(List<Buffer> out) {
    if (!done) fail("upstream_ended_early", "The upstream stream ended before the answer was complete.", out);
  }

  @Override
  public void onError(String message, List<Buffer> out) {
    if (!done) fail("upstream_error", message == null || message.isBlank() ? "The upstream failed." : message, out);
  }

  @Override
  public Usage usage() {
    return usage == null ? null : ChatToResponsesAnswer.usage(usage);
  }

  private void delta(String field, Object value, List<Buffer> out) {
    if (!(value instanceof String s) || s.isEmpty()) return;
    begin(null, out);
    chunk(new JsonObject().put(field, s), null, out);
  }

  private void reasoning(JsonObject e, List<Buffer> out) {
    if (!(e.getValue("delta") instanceof String s) || s.isEmpty()) return;
    String key = e.getValue("item_id") + "/" + e.getValue("summary_index") + "/" + e.getValue("content_index");
    // separate summary parts the way the whole answer joins them
    String text = lastSummary != null && !lastSummary.equals(key) ? "\n\n" + s : s;
    lastSummary = key;
    delta("reasoning_content", text, out);
  }

  private Integer toolStart(JsonObject e, JsonObject item, List<Buffer> out) {
    Integer known = tool(e);
    if (known != null) return known;
    begin(null, out);
    int index = arguments.size();
    arguments.add(new StringBuilder());
    if (item.getValue("id") instanceof String id) toolsByItem.put(id, index);
    if (e.getValue("output_index") instanceof Number n) toolsByOutput.put(n.intValue(), index);
    String callId = item.getValue("call_id") instanceof String c && !c.isEmpty() ? c
        : item.getValue("id") instanceof String id && !id.isEmpty() ? id : "call_" + minted + "_" + index;
    JsonObject call = new JsonObject().put("index", index).put("id", callId).put("type", "function")
        .put("function", new JsonObject().put("name", item.getValue("name") instanceof String n ? n : "").put("arguments", ""));
    chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null, out);
    if (item.getValue("arguments") instanceof String a && !a.isEmpty()) args(index, a, out);
    return index;
  }

  /** The Chat index of the call an event is about: by item id, else by output index; null if unknown. */
  private Integer tool(JsonObject e) {
    Integer byItem = e.getValue("item_id") instanceof String id ? toolsByItem.get(id)
        : e.getValue("item") instanceof JsonObject item && item.getValue("id") instanceof String id2 ? toolsByItem.get(id2) : null;
    if (byItem != null) return byItem;
    return e.getValue("output_index") instanceof Number n ? toolsByOutput.get(n.intValue()) : null;
  }

  private void args(int tool, String fragment, List<Buffer> out) {
    if (fragment.isEmpty()) return;
    arguments.get(tool).append(fragment);
    JsonObject call = new JsonObject().put("index", tool).put("function", new JsonObject().put("arguments", fragment));
    chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null, out);
  }

  /** Upstreams that send whole arguments only in the done events: send what the deltas left out. */
  private void catchUp(Integer tool, Object whole, List<Buffer> out) {
    if (tool == null || !(whole instanceof String all)) return;
    String sent = arguments.get(tool).toString();
    if (all.length() > sent.length() && all.startsWith(sent)) args(tool, all.substring(sent.length()), out);
  }

  private void finish(JsonObject response, List<Buffer> out) {
    begin(response.getValue("id"), out);
    if (response.getValue("usage") instanceof JsonObject u) usage = u;
    chunk(new JsonObject(), ChatToResponsesAnswer.finishReason(response, !arguments.isEmpty()), out);
    // no usage from the upstream: no usage chunk rather than zeros that look like a real count (P7)
    if (includeUsage && usage != null) {
      JsonObject chat = ChatToResponsesAnswer.chatUsage(usage);
      out.add(Buffer.buffer("data: " + head + "\"choices\":[],\"usage\":" + chat.encode() + "}\n\n"));
    }
    out.add(DONE.copy());
    done = true;
  }

  /** The chunk head, fixed on the first output, and the role chunk that opens every stream. */
  private void begin(Object upstreamId, List<Buffer> out) {
    if (head != null) return;
    head = "{\"id\":" + Json.encode(ChatToResponsesAnswer.completionId(upstreamId, minted)) + ",\"object\":\"chat.completion.chunk\","
        + "\"created\":" + created + ",\"model\":" + Json.encode(clientModel) + ",";
    chunk(new JsonObject().put("role", "assistant").put("content", ""), null, out);
  }

  private void chunk(JsonObject delta, String finishReason, List<Buffer> out) {
    StringBuilder sb = new StringBuilder(head.length() + 96)
        .append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":").append(delta.encode())
        .append(",\"logprobs\":null,\"finish_reason\":")
        .append(finishReason == null ? "null" : "\"" + finishReason + "\"").append("}]");
    sb.append(includeUsage ? ",\"usage\":null}\n\n" : "}\n\n");
    out.add(Buffer.buffer(sb.toString()));
  }

  private void fail(String code, String message, List<Buffer> out) {
    done = true;
    String type = code.startsWith("rate_limit") ? "rate_limit_error" : code.equals("invalid_prompt") ? "invalid_request_error" : "server_error";
    out.add(Buffer.buffer("data: " + OpenAiErrors.body(message, type, code, null).encode() + "\n\n"));
  }

  private static String message(JsonObject error) {
    return error.getValue("message") instanceof String m && !m.isBlank() ? m : "The upstream failed mid-stream.";
  }
}
