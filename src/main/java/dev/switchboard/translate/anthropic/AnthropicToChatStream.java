package dev.switchboard.translate.anthropic;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Anthropic Messages stream events as {@code chat.completion.chunk}s
 * ({@code translation-matrix.md} §1.3). The role goes out once; each tool call gets the next
 * dense Chat index, its id and name only in its first delta, and its argument fragments as they
 * arrive (P2, P5, P6). The stream ends with the finish chunk, the usage chunk if asked for, and
 * {@code [DONE]}; or, when the upstream fails or stops early, with one in-band error (P9).
 */
public final class AnthropicToChatStream implements StreamTranslator {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private enum Kind { TEXT, THINKING, REDACTED, TOOL, OTHER }

  private static final class Block {
    final Kind kind;
    final int toolIndex;
    StringBuilder thinking;
    String signature;
    String data;
    boolean stopped;

    Block(Kind kind, int toolIndex) {
      this.kind = kind;
      this.toolIndex = toolIndex;
    }
  }

  private final String clientModel;
  private final boolean includeUsage;
  private final long created;
  private final Supplier<String> ids;
  private final Map<Integer, Block> blocks = new HashMap<>();
  private final AnthropicToChatUsage usage = new AnthropicToChatUsage();
  private String head; // {"id":..,"object":..,"created":..,"model":..,  shared by every chunk
  private int nextToolIndex;
  private int nextThinkingIndex;
  private Object stopReason;
  private boolean done;

  AnthropicToChatStream(String clientModel, boolean includeUsage, long created, Supplier<String> ids) {
    this.clientModel = clientModel;
    this.includeUsage = includeUsage;
    this.created = created;
    this.ids = ids;
  }

  @Override
  public void onEvent(String event, Buffer data, List<Buffer> out) {
    if (done || "ping".equals(event) || blank(data)) return;
    JsonObject e;
    try {
      if (!(Json.decodeValue(data) instanceof JsonObject o)) throw new DecodeException("not an object");
      e = o;
    } catch (DecodeException malformed) {
      fail(out, "upstream_malformed_event", "The upstream sent a malformed stream event.");
      return;
    }
    Object type = e.getValue("type") instanceof String t ? t : event;
    if (type == null) return;
    switch ((String) type) {
      case "message_start" -> {
        JsonObject message = e.getValue("message") instanceof JsonObject m ? m : new JsonObject();
        usage.update(message.getValue("usage"));
        if (head == null) begin(message.getValue("id"), out);
      }
      case "content_block_start" -> blockStart(e, out);
      case "content_block_delta" -> blockDelta(e, out);
      case "content_block_stop" -> blockStop(e, out);
      case "message_delta" -> {
        if (e.getValue("delta") instanceof JsonObject d && d.getValue("stop_reason") instanceof String r) stopReason = r;
        usage.update(e.getValue("usage"));
      }
      case "message_stop" -> finish(out);
      case "error" -> {
        JsonObject err = e.getValue("error") instanceof JsonObject o ? o : new JsonObject();
        String message = err.getValue("message") instanceof String m && !m.isBlank() ? m : "The upstream failed mid-stream.";
        done = true;
        out.add(sse(AnthropicToChatErrors.body(err.getValue("type") instanceof String t ? t : null, message)));
      }
      default -> { } // ping and event types Anthropic may add later
    }
  }

  @Override
  public void onEnd(List<Buffer> out) {
    if (!done) fail(out, "upstream_ended_early", "The upstream stream ended before the answer was complete.");
  }

  @Override
  public void onError(String message, List<Buffer> out) {
    if (!done) fail(out, "upstream_error", message);
  }

  @Override
  public Usage usage() {
    return usage.seen() ? usage.toUsage() : null;
  }

  private void blockStart(JsonObject e, List<Buffer> out) {
    if (!(e.getValue("index") instanceof Number n) || !(e.getValue("content_block") instanceof JsonObject cb)) return;
    Integer index = n.intValue();
    if (blocks.containsKey(index)) return; // a block starts once; a repeated start would duplicate a tool call
    begin(null, out);
    Object type = cb.getValue("type");
    if ("text".equals(type)) {
      blocks.put(index, new Block(Kind.TEXT, -1));
      if (cb.getValue("text") instanceof String t && !t.isEmpty()) chunk(new JsonObject().put("content", t), null, out);
    } else if ("thinking".equals(type)) {
      Block b = new Block(Kind.THINKING, -1);
      b.thinking = new StringBuilder();
      blocks.put(index, b);
      if (cb.getValue("thinking") instanceof String t && !t.isEmpty()) thinking(b, t, out);
      if (cb.getValue("signature") instanceof String s && !s.isEmpty()) b.signature = s;
    } else if ("redacted_thinking".equals(type)) {
      Block b = new Block(Kind.REDACTED, -1);
      b.data = cb.getValue("data") instanceof String d ? d : null;
      blocks.put(index, b);
    } else if ("tool_use".equals(type)) {
      Block b = new Block(Kind.TOOL, nextToolIndex++);
      blocks.put(index, b);
      String id = cb.getValue("id") instanceof String s && !s.isEmpty() ? s : "toolu_gw_" + b.toolIndex;
      JsonObject call = new JsonObject().put("index", b.toolIndex).put("id", id).put("type", "function")
          .put("function", new JsonObject().put("name", cb.getValue("name") instanceof String name ? name : "").put("arguments", ""));
      chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null, out);
      if (cb.getValue("input") instanceof JsonObject input && !input.isEmpty()) arguments(b, input.encode(), out);
    } else {
      blocks.put(index, new Block(Kind.OTHER, -1)); // server tools and the like have no Chat form
    }
  }

  private void blockDelta(JsonObject e, List<Buffer> out) {
    if (!(e.getValue("index") instanceof Number n) || !(e.getValue("delta") instanceof JsonObject d)) return;
    Block b = blocks.get(n.intValue());
    if (b == null || b.stopped) return;
    Object type = d.getValue("type");
    if (b.kind == Kind.TEXT && "text_delta".equals(type) && d.getValue("text") instanceof String t && !t.isEmpty()) {
      chunk(new JsonObject().put("content", t), null, out);
    } else if (b.kind == Kind.THINKING && "thinking_delta".equals(type) && d.getValue("thinking") instanceof String t && !t.isEmpty()) {
      thinking(b, t, out);
    } else if (b.kind == Kind.THINKING && "signature_delta".equals(type) && d.getValue("signature") instanceof String s) {
      b.signature = s; // set, not appended
    } else if (b.kind == Kind.TOOL && "input_json_delta".equals(type) && d.getValue("partial_json") instanceof String p && !p.isEmpty()) {
      arguments(b, p, out);
    }
  }

  /** A finished thinking block goes out once more, whole and signed, for clients that replay it. */
  private void blockStop(JsonObject e, List<Buffer> out) {
    if (!(e.getValue("index") instanceof Number n)) return;
    Block b = blocks.get(n.intValue());
    if (b == null || b.stopped) return;
    b.stopped = true;
    JsonObject entry = null;
    if (b.kind == Kind.THINKING && b.signature != null && !b.signature.isEmpty()) {
      entry = new JsonObject().put("type", "thinking").put("thinking", b.thinking.toString()).put("signature", b.signature);
    } else if (b.kind == Kind.REDACTED && b.data != null && !b.data.isEmpty()) {
      entry = new JsonObject().put("type", "redacted_thinking").put("data", b.data);
    }
    if (entry != null) {
      JsonObject indexed = new JsonObject().put("index", nextThinkingIndex++).mergeIn(entry);
      chunk(new JsonObject().put("thinking_blocks", new JsonArray().add(indexed)), null, out);
    }
  }

  private void thinking(Block b, String text, List<Buffer> out) {
    b.thinking.append(text);
    chunk(new JsonObject().put("reasoning_content", text), null, out);
  }

  private void arguments(Block b, String fragment, List<Buffer> out) {
    JsonObject call = new JsonObject().put("index", b.toolIndex).put("function", new JsonObject().put("arguments", fragment));
    chunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null, out);
  }

  private void finish(List<Buffer> out) {
    begin(null, out);
    chunk(new JsonObject(), AnthropicToChatFinish.of(stopReason, nextToolIndex > 0), out);
    if (includeUsage) {
      out.add(Buffer.buffer("data: " + head + "\"choices\":[],\"usage\":" + usage.toChat().encode() + "}\n\n"));
    }
    out.add(DONE.copy());
    done = true;
  }

  /** The chunk head, fixed on the first output, and the role chunk that opens every stream. */
  private void begin(Object upstreamId, List<Buffer> out) {
    if (head != null) return;
    String id = AnthropicToChatResponse.completionId(upstreamId, ids);
    head = "{\"id\":" + Json.encode(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
        + ",\"model\":" + Json.encode(clientModel) + ",";
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

  private void fail(List<Buffer> out, String code, String message) {
    done = true;
    JsonObject body = AnthropicToChatErrors.body("api_error", message);
    body.getJsonObject("error").put("code", code);
    out.add(sse(body));
  }

  private static Buffer sse(JsonObject body) {
    return Buffer.buffer("data: " + body.encode() + "\n\n");
  }

  private static boolean blank(Buffer data) {
    for (int i = 0; i < data.length(); i++) {
      byte c = data.getByte(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return false;
    }
    return true;
  }
}
