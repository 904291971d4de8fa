package dev.switchboard.translate.gemini;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gemini {@code streamGenerateContent?alt=sse} chunks as {@code chat.completion.chunk}s
 * ({@code translation-matrix.md} §3.3). Gemini has no terminal event: the stream ends at EOF,
 * after a chunk carrying {@code finishReason}. The role goes out once; each function call, whole
 * in one Gemini part, becomes one tool-call delta with the next dense index (P2, P5). Usage is
 * replaced by every chunk that has it, never summed (P7). The end is the finish chunk, the usage
 * chunk if asked for, and {@code [DONE]}; or one in-band error when the upstream fails or stops
 * before a finish reason (P9).
 */
public final class ChatToGeminiStream implements StreamTranslator {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final String clientModel;
  private final boolean includeUsage;
  private final long created;
  private final Supplier<String> ids;
  private String head; // {"id":..,"object":..,"created":..,"model":..,  shared by every chunk
  private String answerKey;
  private int nextToolIndex;
  private String pendingSignature;
  private Object finishReason;
  private JsonObject usage;
  private boolean done;

  ChatToGeminiStream(String clientModel, boolean includeUsage, long created, Supplier<String> ids) {
    this.clientModel = clientModel;
    this.includeUsage = includeUsage;
    this.created = created;
    this.ids = ids;
  }

  @Override
  public void onEvent(String event, Buffer data, List<Buffer> out) {
    if (done || data == null || blank(data)) return;
    Object parsed;
    try {
      parsed = Json.decodeValue(data);
    } catch (DecodeException malformed) {
      parsed = null;
    }
    if (parsed instanceof JsonArray list && list.size() == 1) parsed = list.getValue(0); // P28
    if (!(parsed instanceof JsonObject chunk)) {
      fail(out, "upstream_malformed_event", "The upstream sent a malformed stream event.");
      return;
    }
    if (chunk.getValue("error") instanceof JsonObject) {
      done = true;
      out.add(sse(ChatToGeminiErrors.envelope(500, chunk)));
      return;
    }
    // a partial usageMetadata (only trafficType, say) must not wipe out the counts seen before
    if (chunk.getValue("usageMetadata") instanceof JsonObject u && (u.containsKey("promptTokenCount")
        || u.containsKey("candidatesTokenCount") || u.containsKey("totalTokenCount"))) {
      usage = u;
    }
    begin(chunk.getValue("responseId"), out);
    JsonObject candidate = firstCandidate(chunk);
    if (candidate == null) {
      if (chunk.getValue("promptFeedback") instanceof JsonObject f && f.getValue("blockReason") != null) finishReason = "SAFETY";
      return;
    }
    if (candidate.getValue("content") instanceof JsonObject content && content.getValue("parts") instanceof JsonArray parts) {
      for (Object p : parts) if (p instanceof JsonObject part) part(part, out);
    }
    if (candidate.getValue("finishReason") instanceof String r && !r.isEmpty()) finishReason = r;
  }

  private void part(JsonObject part, List<Buffer> out) {
    String signature = part.getValue("thoughtSignature") instanceof String s && !s.isEmpty() ? s : null;
    if (part.getValue("functionCall") instanceof JsonObject call) {
      if (signature == null) signature = pendingSignature;
      pendingSignature = null;
      int index = nextToolIndex++;
      JsonObject toolCall = ChatToGeminiResponse.toolCall(call, GeminiIds.chatId(call.getValue("id"), answerKey, index), signature);
      chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", index).mergeIn(toolCall))), null, out);
    } else if (part.getValue("text") instanceof String t) {
      if (t.isEmpty()) {
        if (signature != null) pendingSignature = signature; // a signature on an empty part may belong to a later call
      } else if (Boolean.TRUE.equals(part.getValue("thought"))) {
        chunk(new JsonObject().put("reasoning_content", t), null, out);
      } else {
        chunk(new JsonObject().put("content", t), null, out);
      }
    }
  }

  /** Candidate 0 only: {@code n} greater than 1 is refused on the way up. */
  private static JsonObject firstCandidate(JsonObject chunk) {
    if (!(chunk.getValue("candidates") instanceof JsonArray candidates)) return null;
    for (Object o : candidates) {
      if (o instanceof JsonObject c && !(c.getValue("index") instanceof Number n && n.intValue() != 0)) return c;
    }
    return null;
  }

  @Override
  public void onEnd(List<Buffer> out) {
    if (done) return;
    if (finishReason == null) {
      fail(out, "upstream_ended_early", "The upstream stream ended before the answer was complete.");
      return;
    }
    chunk(new JsonObject(), GeminiTables.chatFinish(finishReason, nextToolIndex > 0), out);
    if (includeUsage) {
      JsonObject chat = GeminiTables.chatUsage(usage == null ? new JsonObject() : usage);
      out.add(Buffer.buffer("data: " + head + "\"choices\":[],\"usage\":" + chat.encode() + "}\n\n"));
    }
    out.add(DONE.copy());
    done = true;
  }

  @Override
  public void onError(String message, List<Buffer> out) {
    if (!done) fail(out, "upstream_error", message);
  }

  @Override
  public Usage usage() {
    return usage == null ? null : GeminiTables.usage(usage);
  }

  /** The chunk head, fixed on the first chunk, and the role chunk that opens every stream. */
  private void begin(Object responseId, List<Buffer> out) {
    if (head != null) return;
    String id = ChatToGeminiResponse.completionId(responseId, ids);
    answerKey = ChatToGeminiResponse.answerKey(id);
    head = "{\"id\":" + Json.encode(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
        + ",\"model\":" + Json.encode(clientModel) + ",";
    chunk(new JsonObject().put("role", "assistant").put("content", ""), null, out);
  }

  private void chunk(JsonObject delta, String finish, List<Buffer> out) {
    StringBuilder sb = new StringBuilder(head.length() + 96)
        .append("data: ").append(head).append("\"choices\":[{\"index\":0,\"delta\":").append(delta.encode())
        .append(",\"logprobs\":null,\"finish_reason\":")
        .append(finish == null ? "null" : "\"" + finish + "\"").append("}]");
    sb.append(includeUsage ? ",\"usage\":null}\n\n" : "}\n\n");
    out.add(Buffer.buffer(sb.toString()));
  }

  private void fail(List<Buffer> out, String code, String message) {
    done = true;
    JsonObject body = ChatToGeminiErrors.body("INTERNAL", message);
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
