package dev.switchboard.translate.anthropic;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.openai.ChatUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chat Completions chunks in, Anthropic Messages events out ({@code translation-matrix.md}
 * §2.3). Block indexes are handed out when a block starts, so they are dense and in start order
 * (pitfall P3); each Chat tool-call index gets its own tool_use block (P5); the final
 * {@code message_delta} waits for the usage chunk that OpenAI sends after the finish chunk (P7).
 */
final class ChatToMessagesStream implements StreamTranslator {

  private static final String TEXT = "text";
  private static final String THINKING = "thinking";

  /** One Chat tool call as it is assembled; {@code block} is its Anthropic index once started. */
  private static final class Tool {
    String id;
    String name;
    final StringBuilder pending = new StringBuilder();
    boolean hasArgs;
    int block = -1;
    boolean closed;
  }

  private final String model;
  private final String mintedId;
  private final boolean buffered;
  private final TreeMap<Integer, Tool> tools = new TreeMap<>();
  private String messageId;
  private boolean started;
  private boolean closed;
  private int nextBlock;
  private int openBlock = -1;
  private String openKind;
  private Tool currentTool;
  private boolean sawTool;
  private boolean sawRefusal;
  private boolean finished;
  private Object finishReason;
  private JsonObject chatUsage;

  ChatToMessagesStream(String model, String mintedId, boolean buffered) {
    this.model = model;
    this.mintedId = mintedId;
    this.buffered = buffered;
  }

  @Override
  public void onEvent(String event, Buffer data, List<Buffer> out) {
    if (data == null) return;
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
      fail("api_error", "upstream sent a malformed stream event", out);
      return;
    }
    boolean hasUsage = chunk.getValue("usage") instanceof JsonObject;
    if (hasUsage) chatUsage = chunk.getJsonObject("usage");
    if (closed) return;
    Object error = chunk.getValue("error");
    if (error instanceof JsonObject || error instanceof String) {
      String type = error instanceof JsonObject e ? ChatToMessagesErrors.streamType(e) : "api_error";
      fail(type, ChatToMessagesErrors.message(chunk, "upstream error"), out);
      return;
    }
    if (!started) start(chunk, out);
    boolean wasFinished = finished;
    if (chunk.getValue("choices") instanceof JsonArray choices) {
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

  private void choice(JsonObject choice, List<Buffer> out) {
    if (!finished && choice.getValue("delta") instanceof JsonObject delta) {
      String reasoning = ChatToMessagesResponse.reasoning(delta);
      if (!reasoning.isEmpty()) blockDelta(THINKING, new JsonObject().put("type", "thinking_delta").put("thinking", reasoning), out);
      if (delta.getValue("content") instanceof String content && !content.isEmpty()) {
        blockDelta(TEXT, new JsonObject().put("type", "text_delta").put("text", content), out);
      }
      if (delta.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) {
        sawRefusal = true;
        blockDelta(TEXT, new JsonObject().put("type", "text_delta").put("text", refusal), out);
      }
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object c : calls) {
          if (closed) return;
          if (c instanceof JsonObject call) toolDelta(call, out);
        }
      }
    }
    // some OpenAI-compatible upstreams send "" on every chunk that does not finish
    if (choice.getValue("finish_reason") instanceof String reason && !reason.isEmpty() && !finished && !closed) {
      finish(reason, out);
    }
  }

  /** A text or thinking fragment: continues the open block of that kind or starts a new one. */
  private void blockDelta(String kind, JsonObject delta, List<Buffer> out) {
    if (!kind.equals(openKind)) {
      closeOpen(out);
      closeCurrentTool(out);
      JsonObject block = kind.equals(TEXT)
          ? new JsonObject().put("type", "text").put("text", "")
          : new JsonObject().put("type", "thinking").put("thinking", "").put("signature", "");
      openBlock = startBlock(block, out);
      openKind = kind;
    }
    out.add(ChatToMessagesEvents.blockDelta(openBlock, delta));
  }

  private void toolDelta(JsonObject call, List<Buffer> out) {
    Tool tool = tools.computeIfAbsent(toolIndex(call), k -> new Tool());
    if (call.getValue("id") instanceof String id && !id.isEmpty() && tool.id == null) tool.id = id;
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (function.getValue("name") instanceof String name && !name.isEmpty() && tool.name == null) tool.name = name;
    String fragment = function.getValue("arguments") instanceof String a ? a : "";
    if (tool.closed && !fragment.isEmpty()) {
      // its block is already stopped: the arguments cannot reach the client any more
      fail("api_error", "upstream interleaved the arguments of parallel tool calls", out);
      return;
    }
    tool.pending.append(fragment);
    tool.hasArgs |= !fragment.isEmpty();
    if (buffered) return;
    if (tool.block < 0 && tool.id != null && tool.name != null) {
      closeOpen(out);
      closeCurrentTool(out);
      startTool(tool, out);
    } else if (tool.block >= 0) {
      flushArgs(tool, out);
    }
  }

  /** Chat's own index; a provider that omits it is followed by id, else by the call in progress. */
  private int toolIndex(JsonObject call) {
    if (call.getValue("index") instanceof Number n) return n.intValue();
    if (call.getValue("id") instanceof String id && !id.isEmpty()) {
      for (Map.Entry<Integer, Tool> e : tools.entrySet()) {
        if (id.equals(e.getValue().id)) return e.getKey();
      }
      return tools.size();
    }
    return tools.isEmpty() ? 0 : tools.lastKey();
  }

  private void startTool(Tool tool, List<Buffer> out) {
    tool.block = nextBlock;
    String id = ChatToMessagesMapping.toolId(tool.id, messageId, tool.block);
    startBlock(new JsonObject().put("type", "tool_use").put("id", id)
        .put("name", tool.name == null ? "" : tool.name).put("input", new JsonObject()), out);
    currentTool = tool;
    sawTool = true;
    flushArgs(tool, out);
  }

  private void flushArgs(Tool tool, List<Buffer> out) {
    if (tool.pending.length() == 0) return;
    out.add(ChatToMessagesEvents.blockDelta(tool.block,
        new JsonObject().put("type", "input_json_delta").put("partial_json", tool.pending.toString())));
    tool.pending.setLength(0);
  }

  private void finish(Object reason, List<Buffer> out) {
    finished = true;
    finishReason = reason;
    closeOpen(out);
    closeCurrentTool(out);
    for (Tool tool : tools.values()) {
      if (tool.block < 0) {
        // an id-less call with no name and no arguments is noise, not a call
        if (tool.name == null && !tool.hasArgs) continue;
        startTool(tool, out);
      }
      if (!tool.closed) {
        tool.closed = true;
        stopBlock(tool.block, out);
      }
    }
    currentTool = null;
  }

  private void complete(List<Buffer> out) {
    if (closed) return;
    if (!started) start(new JsonObject(), out);
    if (!finished) finish(null, out);
    JsonObject usage = chatUsage != null ? ChatToMessagesMapping.usage(chatUsage) : new JsonObject().put("output_tokens", 0);
    out.add(ChatToMessagesEvents.messageDelta(ChatToMessagesMapping.stopReason(finishReason, sawTool, sawRefusal), usage));
    out.add(ChatToMessagesEvents.messageStop());
    closed = true;
  }

  @Override
  public void onEnd(List<Buffer> out) {
    if (closed) return;
    // a finish reason was given, only [DONE] is missing: the answer itself is whole
    if (finished) complete(out);
    else fail("api_error", "upstream stream ended before the answer was complete", out);
  }

  @Override
  public void onError(String message, List<Buffer> out) {
    if (closed) return;
    fail("api_error", message == null || message.isBlank() ? "upstream failed" : message, out);
  }

  @Override
  public Usage usage() {
    return chatUsage == null ? null : ChatUsage.parse(chatUsage);
  }

  private void start(JsonObject chunk, List<Buffer> out) {
    started = true;
    messageId = ChatToMessagesMapping.messageId(chunk.getValue("id"), mintedId);
    // some upstreams report prompt usage from the first chunk on
    out.add(ChatToMessagesEvents.messageStart(messageId, model,
        chatUsage == null ? null : ChatToMessagesMapping.usage(chatUsage)));
  }

  private int startBlock(JsonObject block, List<Buffer> out) {
    int index = nextBlock++;
    out.add(ChatToMessagesEvents.blockStart(index, block));
    return index;
  }

  private void stopBlock(int index, List<Buffer> out) {
    out.add(ChatToMessagesEvents.blockStop(index));
  }

  private void closeOpen(List<Buffer> out) {
    if (openBlock < 0) return;
    stopBlock(openBlock, out);
    openBlock = -1;
    openKind = null;
  }

  private void closeCurrentTool(List<Buffer> out) {
    if (currentTool == null) return;
    currentTool.closed = true;
    stopBlock(currentTool.block, out);
    currentTool = null;
  }

  private void fail(String type, String message, List<Buffer> out) {
    if (closed) return;
    closed = true;
    out.add(ChatToMessagesEvents.error(type, message));
  }
}
