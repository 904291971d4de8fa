package dev.switchboard.translate.responses;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A whole {@code chat.completion} as a Responses object ({@code translation-matrix.md} §7.2):
 * reasoning item, message item, then one function_call item per tool call, in that order.
 */
final class ResponsesToChatAnswer {

  private ResponsesToChatAnswer() {}

  static JsonObject map(JsonObject in, String clientModel, long now, String minted, ResponsesToolNames names) {
    if (in.getValue("error") != null) {
      throw new TranslationException("The upstream answered with an error: "
          + OpenAiErrors.envelope(502, in).getJsonObject("error").getString("message"));
    }
    String base = ResponsesObjects.baseId(in.getValue("id"), minted);
    long created = in.getValue("created") instanceof Number n && n.longValue() > 0 ? n.longValue() : now;
    JsonObject response = ResponsesObjects.response("resp_" + base, created, clientModel, "completed");
    JsonObject choice = firstChoice(in);
    JsonObject message = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray output = response.getJsonArray("output");

    String reasoning = reasoning(message);
    if (!reasoning.isEmpty()) output.add(ResponsesObjects.reasoning("rs_" + base, reasoning));
    JsonArray content = new JsonArray();
    String text = text(message.getValue("content"));
    if (!text.isEmpty()) content.add(ResponsesObjects.outputText(text));
    if (message.getValue("refusal") instanceof String r && !r.isEmpty()) content.add(ResponsesObjects.refusal(r));
    if (!content.isEmpty()) output.add(ResponsesObjects.message("msg_" + base, "completed", content));
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object c : calls) {
        if (!(c instanceof JsonObject call)) continue;
        JsonObject f = call.getValue("function") instanceof JsonObject o ? o : new JsonObject();
        String name = f.getValue("name") instanceof String n ? n : "";
        String args = f.getValue("arguments") instanceof String a ? a : "";
        if (name.isEmpty() && args.isEmpty()) continue; // noise, not a call
        String callId = call.getValue("id") instanceof String id && !id.isEmpty() ? id : "call_" + base + "_" + output.size();
        ResponsesToolNames.Declared d = names.declared(name);
        boolean custom = d != null && d.custom();
        output.add(ResponsesObjects.call((custom ? "ctc_" : "fc_") + callId, callId, name,
            custom ? ResponsesToolNames.customInput(args) : args, "completed", d));
      }
    }
    JsonObject usage = in.getValue("usage") instanceof JsonObject u ? ResponsesObjects.usage(u) : null;
    ResponsesObjects.finish(response, ResponsesObjects.incompleteReason(choice.getValue("finish_reason")), usage);
    return response;
  }

  static String reasoning(JsonObject messageOrDelta) {
    if (messageOrDelta.getValue("reasoning_content") instanceof String r && !r.isEmpty()) return r;
    if (messageOrDelta.getValue("reasoning") instanceof String r) return r;
    return "";
  }

  private static String text(Object content) {
    if (content instanceof String s) return s;
    StringBuilder text = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object o : parts) {
        if (o instanceof JsonObject p && "text".equals(p.getValue("type")) && p.getValue("text") instanceof String t) text.append(t);
      }
    }
    return text.toString();
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
