package dev.switchboard.translate.gemini;

import dev.switchboard.translate.TranslationException;
import dev.switchboard.translate.openai.ChatUsage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A whole Chat Completions answer as a Gemini {@code GenerateContentResponse}, for Gemini
 * clients of a Chat upstream ({@code translation-matrix.md} §4.2): reasoning as a thought part,
 * text, then one whole {@code functionCall} part per tool call.
 */
final class GeminiToChatResponse {

  private GeminiToChatResponse() {}

  static JsonObject map(JsonObject in, String clientModel, String mintedId) {
    if (in.getValue("error") != null) {
      throw new TranslationException("The upstream answered with an error: " + GeminiToChatErrors.message(in, "upstream error"));
    }
    JsonObject choice = firstChoice(in);
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray parts = new JsonArray();
    String reasoning = reasoning(message);
    if (!reasoning.isEmpty()) parts.add(new JsonObject().put("text", reasoning).put("thought", true));
    String text = text(message.getValue("content"));
    if (!text.isEmpty()) parts.add(new JsonObject().put("text", text));
    if (message.getValue("refusal") instanceof String r && !r.isEmpty()) parts.add(new JsonObject().put("text", r));
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object c : calls) {
        if (!(c instanceof JsonObject call) || !(call.getValue("function") instanceof JsonObject f)) continue;
        String name = f.getValue("name") instanceof String n ? n : "";
        if (name.isEmpty()) continue; // a call without a name cannot be run by the client
        parts.add(functionCall(call.getValue("id"), name, f.getValue("arguments") instanceof String a ? a : null));
      }
    }
    JsonObject usage = in.getValue("usage") instanceof JsonObject u ? GeminiTables.usageMetadata(ChatUsage.parse(u)) : null;
    return envelope(parts, GeminiTables.geminiFinish(choice.getValue("finish_reason")), usage, clientModel,
        responseId(in.getValue("id"), mintedId));
  }

  /** One Gemini response object around {@code parts}; {@code finishReason} and {@code usage} may be null. */
  static JsonObject envelope(JsonArray parts, String finishReason, JsonObject usage, String model, String responseId) {
    JsonObject candidate = new JsonObject()
        .put("content", new JsonObject().put("role", "model").put("parts", parts.isEmpty() ? new JsonArray().add(new JsonObject().put("text", "")) : parts));
    if (finishReason != null) candidate.put("finishReason", finishReason);
    candidate.put("index", 0);
    JsonObject out = new JsonObject().put("candidates", new JsonArray().add(candidate));
    if (usage != null) out.put("usageMetadata", usage);
    return out.put("modelVersion", model).put("responseId", responseId);
  }

  /** A whole function call part; arguments that are not a JSON object become {} (P6). */
  static JsonObject functionCall(Object id, String name, String arguments) {
    JsonObject call = new JsonObject().put("name", name).put("args", args(arguments));
    if (id instanceof String s && !s.isEmpty()) call.put("id", s);
    return new JsonObject().put("functionCall", call);
  }

  private static JsonObject args(String arguments) {
    if (arguments == null || arguments.isBlank()) return new JsonObject();
    try {
      return Json.decodeValue(arguments) instanceof JsonObject o ? o : new JsonObject();
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }

  static String responseId(Object chatId, String minted) {
    return chatId instanceof String s && !s.isEmpty() ? s : minted;
  }

  /** {@code reasoning_content} (DeepSeek style) or a plain-string {@code reasoning} (OpenRouter style). */
  static String reasoning(JsonObject messageOrDelta) {
    if (messageOrDelta.getValue("reasoning_content") instanceof String r && !r.isEmpty()) return r;
    if (messageOrDelta.getValue("reasoning") instanceof String r) return r;
    return "";
  }

  private static String text(Object content) {
    if (content instanceof String s) return s;
    StringBuilder sb = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object p : parts) if (p instanceof JsonObject part && part.getValue("text") instanceof String t) sb.append(t);
    }
    return sb.toString();
  }

  private static JsonObject firstChoice(JsonObject in) {
    if (in.getValue("choices") instanceof JsonArray choices) {
      for (Object c : choices) {
        if (c instanceof JsonObject choice && !(choice.getValue("index") instanceof Number n && n.intValue() != 0)) return choice;
      }
    }
    return new JsonObject();
  }
}
