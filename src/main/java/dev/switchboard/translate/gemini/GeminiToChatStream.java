package dev.switchboard.translate.gemini;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.openai.ChatUsage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/**
 * Chat Completions chunks in, Gemini {@code data:} events out ({@code translation-matrix.md} §4.3).
 * Text and reasoning go out as they arrive, one event per chunk that has any. Gemini clients get
 * function calls whole, so tool-call fragments are assembled by their Chat index (P5, P6) and sent
 * in the finishing event, which carries {@code finishReason} and {@code usageMetadata}. OpenAI
 * sends usage in a chunk after the finish chunk, so the finishing event waits for it, for
 * {@code [DONE]}, or for EOF (P7). An upstream that fails, or ends before its finish reason, ends
 * the client stream with one Gemini error object (P9).
 */
final class GeminiToChatStream implements StreamTranslator {

  private static final class Tool {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }

  private final String model;
  private final String mintedId;
  private final TreeMap<Integer, Tool> tools = new TreeMap<>();
  private String responseId;
  private boolean finished;
  private Object finishReason;
  private JsonObject chatUsage;
  private boolean done;

  GeminiToChatStream(String model, String mintedId) {
    this.model = model;
    this.mintedId = mintedId;
  }

  @Override
  public void onEvent(String event, Buffer data, List<Buffer> out) {
    if (done || data == null) return;
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
      fail(500, "The upstream sent a malformed stream event.", out);
      return;
    }
    Object error = chunk.getValue("error");
    if (error instanceof JsonObject || error instanceof String) {
      fail(error instanceof JsonObject e ? GeminiToChatErrors.streamStatus(e) : 500,
          GeminiToChatErrors.message(chunk, "The upstream failed mid-stream."), out);
      return;
    }
    if (responseId == null) responseId = GeminiToChatResponse.responseId(chunk.getValue("id"), mintedId);
    boolean hasUsage = chunk.getValue("usage") instanceof JsonObject;
    if (hasUsage) chatUsage = chunk.getJsonObject("usage");
    if (chunk.getValue("choices") instanceof JsonArray choices) {
      for (Object c : choices) {
        if (c instanceof JsonObject choice && !(choice.getValue("index") instanceof Number n && n.intValue() != 0)) {
          choice(choice, out);
          break;
        }
      }
    }
    if (finished && hasUsage) complete(out); // usage comes with or after the finish chunk
  }

  private void choice(JsonObject choice, List<Buffer> out) {
    if (!finished && choice.getValue("delta") instanceof JsonObject delta) {
      JsonArray parts = new JsonArray();
      String reasoning = GeminiToChatResponse.reasoning(delta);
      if (!reasoning.isEmpty()) parts.add(new JsonObject().put("text", reasoning).put("thought", true));
      if (delta.getValue("content") instanceof String content && !content.isEmpty()) parts.add(new JsonObject().put("text", content));
      if (delta.getValue("refusal") instanceof String refusal && !refusal.isEmpty()) parts.add(new JsonObject().put("text", refusal));
      if (!parts.isEmpty()) emit(GeminiToChatResponse.envelope(parts, null, null, model, responseId), out);
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object c : calls) if (c instanceof JsonObject call) toolDelta(call);
      }
    }
    // some OpenAI-compatible upstreams send "" on every chunk that does not finish
    if (choice.getValue("finish_reason") instanceof String reason && !reason.isEmpty() && !finished) {
      finished = true;
      finishReason = reason;
    }
  }

  private void toolDelta(JsonObject call) {
    Tool tool = tools.computeIfAbsent(toolIndex(call), k -> new Tool());
    if (call.getValue("id") instanceof String id && !id.isEmpty() && tool.id == null) tool.id = id;
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (function.getValue("name") instanceof String name && !name.isEmpty() && tool.name == null) tool.name = name;
    if (function.getValue("arguments") instanceof String a) tool.arguments.append(a);
  }

  /** Chat's own index; a provider that omits it is followed by id, else by the call in progress. */
  private int toolIndex(JsonObject call) {
    if (call.getValue("index") instanceof Number n) return n.intValue();
    if (call.getValue("id") instanceof String id && !id.isEmpty()) {
      for (var e : tools.entrySet()) if (id.equals(e.getValue().id)) return e.getKey();
      return tools.isEmpty() ? 0 : tools.lastKey() + 1;
    }
    return tools.isEmpty() ? 0 : tools.lastKey();
  }

  /** The finishing event: the whole function calls, the finish reason and the usage. */
  private void complete(List<Buffer> out) {
    if (done) return;
    JsonArray parts = new JsonArray();
    for (Tool tool : tools.values()) {
      if (tool.name != null) parts.add(GeminiToChatResponse.functionCall(tool.id, tool.name, tool.arguments.toString()));
    }
    JsonObject usage = chatUsage == null ? null : GeminiTables.usageMetadata(ChatUsage.parse(chatUsage));
    String id = responseId != null ? responseId : mintedId;
    emit(GeminiToChatResponse.envelope(parts, GeminiTables.geminiFinish(finishReason), usage, model, id), out);
    done = true;
  }

  @Override
  public void onEnd(List<Buffer> out) {
    if (done) return;
    // a finish reason was given, only usage and [DONE] are missing: the answer itself is whole
    if (finished) complete(out);
    else fail(500, "The upstream stream ended before the answer was complete.", out);
  }

  @Override
  public void onError(String message, List<Buffer> out) {
    if (!done) fail(502, message == null || message.isBlank() ? "The upstream failed." : message, out);
  }

  @Override
  public Usage usage() {
    return chatUsage == null ? null : ChatUsage.parse(chatUsage);
  }

  private void fail(int code, String message, List<Buffer> out) {
    if (done) return;
    done = true;
    emit(GeminiToChatErrors.envelope(code, message), out);
  }

  private static void emit(JsonObject event, List<Buffer> out) {
    out.add(Buffer.buffer("data: " + event.encode() + "\n\n"));
  }
}
