package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * A whole Gemini {@code GenerateContentResponse} as a {@code chat.completion}, for Chat clients
 * of a Gemini upstream ({@code translation-matrix.md} §3.2). Thought parts become
 * {@code reasoning_content}; a function call's thought signature rides on its tool call as
 * {@code extra_content.google.thought_signature} so the client can hand it back (P20).
 */
final class ChatToGeminiResponse {

  private ChatToGeminiResponse() {}

  static JsonObject map(JsonObject in, String clientModel, long created, Supplier<String> ids) {
    if (in.getValue("error") instanceof JsonObject) {
      throw new TranslationException("The upstream answered with an error: "
          + ChatToGeminiErrors.envelope(200, in).getJsonObject("error").getString("message"));
    }
    String id = completionId(in.getValue("responseId"), ids);
    String answerKey = answerKey(id);
    JsonArray choices = new JsonArray();
    if (in.getValue("candidates") instanceof JsonArray candidates && !candidates.isEmpty()) {
      int toolCount = 0;
      for (int i = 0; i < candidates.size(); i++) {
        if (!(candidates.getValue(i) instanceof JsonObject c)) continue;
        int index = c.getValue("index") instanceof Number n ? n.intValue() : i;
        JsonObject choice = choice(c, index, answerKey, toolCount);
        toolCount += choice.getJsonObject("message").getJsonArray("tool_calls", new JsonArray()).size();
        choices.add(choice);
      }
    } else if (in.getValue("promptFeedback") instanceof JsonObject feedback && feedback.getValue("blockReason") != null) {
      // the prompt itself was blocked: an empty answer stopped by the content filter
      JsonObject message = new JsonObject().put("role", "assistant").putNull("content").putNull("refusal");
      choices.add(new JsonObject().put("index", 0).put("message", message).putNull("logprobs").put("finish_reason", "content_filter"));
    } else {
      throw new TranslationException("The upstream answer has no candidates");
    }
    JsonObject meta = in.getValue("usageMetadata") instanceof JsonObject u ? u : new JsonObject();
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", clientModel)
        .put("choices", choices)
        .put("usage", GeminiTables.chatUsage(meta));
  }

  private static JsonObject choice(JsonObject candidate, int index, String answerKey, int toolsBefore) {
    StringBuilder text = null;
    StringBuilder reasoning = null;
    JsonArray toolCalls = new JsonArray();
    String pendingSignature = null;
    JsonArray parts = candidate.getValue("content") instanceof JsonObject content
        && content.getValue("parts") instanceof JsonArray p ? p : new JsonArray();
    for (Object o : parts) {
      if (!(o instanceof JsonObject part)) continue;
      String signature = part.getValue("thoughtSignature") instanceof String s && !s.isEmpty() ? s : null;
      if (part.getValue("functionCall") instanceof JsonObject call) {
        if (signature == null) signature = pendingSignature;
        pendingSignature = null;
        toolCalls.add(toolCall(call, GeminiIds.chatId(call.getValue("id"), answerKey, toolsBefore + toolCalls.size()), signature));
      } else if (part.getValue("text") instanceof String t) {
        if (Boolean.TRUE.equals(part.getValue("thought"))) reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(t);
        else if (!t.isEmpty()) text = (text == null ? new StringBuilder() : text).append(t);
        if (t.isEmpty() && signature != null) pendingSignature = signature; // may belong to a call after it
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant");
    message.put("content", text != null ? text.toString() : toolCalls.isEmpty() ? "" : null);
    message.putNull("refusal");
    if (reasoning != null) message.put("reasoning_content", reasoning.toString());
    if (!toolCalls.isEmpty()) message.put("tool_calls", toolCalls);
    return new JsonObject()
        .put("index", index)
        .put("message", message)
        .putNull("logprobs")
        .put("finish_reason", GeminiTables.chatFinish(candidate.getValue("finishReason"), !toolCalls.isEmpty()));
  }

  /** One Chat tool call for a whole Gemini function call (arguments as a JSON string). */
  static JsonObject toolCall(JsonObject call, String id, String signature) {
    JsonObject out = new JsonObject()
        .put("id", id)
        .put("type", "function")
        .put("function", new JsonObject()
            .put("name", call.getValue("name") instanceof String name ? name : "")
            .put("arguments", call.getValue("args") instanceof JsonObject args ? args.encode() : "{}"));
    if (signature != null) {
      out.put("extra_content", new JsonObject().put("google", new JsonObject().put("thought_signature", signature)));
    }
    return out;
  }

  /** The part of a completion id that tool-call ids are minted from: the upstream's response id. */
  static String answerKey(String completionId) {
    return GeminiIds.answerKey(completionId.startsWith("chatcmpl-") ? completionId.substring(9) : completionId);
  }

  static String completionId(Object responseId, Supplier<String> ids) {
    return responseId instanceof String s && !s.isEmpty() ? "chatcmpl-" + s : ids.get();
  }
}
