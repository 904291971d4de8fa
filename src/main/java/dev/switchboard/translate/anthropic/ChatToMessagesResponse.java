package dev.switchboard.translate.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A whole Chat Completions answer as an Anthropic message ({@code translation-matrix.md} §2.2). */
final class ChatToMessagesResponse {

  private ChatToMessagesResponse() {}

  static JsonObject map(JsonObject in, String clientModel, String mintedId) {
    String id = ChatToMessagesMapping.messageId(in.getValue("id"), mintedId);
    JsonObject choice = firstChoice(in);
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray content = new JsonArray();
    // unsigned thinking: Switchboard never sends it on to an Anthropic upstream (pitfall P19)
    String reasoning = reasoning(message);
    if (!reasoning.isEmpty()) {
      content.add(new JsonObject().put("type", "thinking").put("thinking", reasoning).put("signature", ""));
    }
    if (message.getValue("content") instanceof String text && !text.isEmpty()) {
      content.add(new JsonObject().put("type", "text").put("text", text));
    } else if (message.getValue("content") instanceof JsonArray parts) {
      String text = partsText(parts);
      if (!text.isEmpty()) content.add(new JsonObject().put("type", "text").put("text", text));
    }
    boolean refusal = message.getValue("refusal") instanceof String r && !r.isEmpty();
    if (refusal) content.add(new JsonObject().put("type", "text").put("text", message.getString("refusal")));
    boolean sawTool = false;
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      int index = 0;
      for (Object c : calls) {
        if (!(c instanceof JsonObject call)) continue;
        JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
        String name = function.getValue("name") instanceof String n ? n : "";
        String args = function.getValue("arguments") instanceof String a ? a : null;
        // a call with neither name nor arguments is noise, as in the stream
        if (name.isEmpty() && (args == null || args.isEmpty())) continue;
        content.add(new JsonObject().put("type", "tool_use")
            .put("id", ChatToMessagesMapping.toolId(call.getValue("id"), id, index++))
            .put("name", name)
            .put("input", ChatToMessagesArguments.input(args)));
        sawTool = true;
      }
    }
    JsonObject usage = in.getValue("usage") instanceof JsonObject u
        ? ChatToMessagesMapping.usage(u)
        : new JsonObject().put("input_tokens", 0).put("output_tokens", 0);
    return new JsonObject()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", clientModel)
        .put("content", content)
        .put("stop_reason", ChatToMessagesMapping.stopReason(choice.getValue("finish_reason"), sawTool, refusal))
        .put("stop_sequence", null)
        .put("usage", usage);
  }

  private static JsonObject firstChoice(JsonObject in) {
    if (in.getValue("choices") instanceof JsonArray choices) {
      for (Object c : choices) {
        if (c instanceof JsonObject choice && !(choice.getValue("index") instanceof Number n && n.intValue() != 0)) {
          return choice;
        }
      }
    }
    return new JsonObject();
  }

  /** {@code reasoning_content} (DeepSeek style) or a plain-string {@code reasoning} (OpenRouter style). */
  static String reasoning(JsonObject messageOrDelta) {
    if (messageOrDelta.getValue("reasoning_content") instanceof String r && !r.isEmpty()) return r;
    if (messageOrDelta.getValue("reasoning") instanceof String r) return r;
    return "";
  }

  private static String partsText(JsonArray parts) {
    StringBuilder text = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof JsonObject part && part.getValue("text") instanceof String t) text.append(t);
    }
    return text.toString();
  }
}
