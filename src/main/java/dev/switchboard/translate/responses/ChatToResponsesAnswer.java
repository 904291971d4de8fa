package dev.switchboard.translate.responses;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A whole Response as a {@code chat.completion}: reasoning summaries become the
 * {@code reasoning_content} extension, output_text the content, refusal parts the refusal, and
 * function_call items tool calls whose id is the {@code call_id} (never the item id).
 */
final class ChatToResponsesAnswer {

  private ChatToResponsesAnswer() {}

  static JsonObject map(JsonObject in, String clientModel, long now, String minted) {
    if ("failed".equals(in.getValue("status")) || in.getValue("error") instanceof JsonObject) {
      JsonObject error = in.getValue("error") instanceof JsonObject e ? e : new JsonObject();
      throw new TranslationException("The upstream answered with an error: "
          + (error.getValue("message") instanceof String m ? m : "response failed"));
    }
    Content c = Content.of(in.getValue("output"));
    JsonObject message = new JsonObject().put("role", "assistant");
    boolean other = !c.calls.isEmpty() || c.refusal.length() > 0; // content is null beside calls or a refusal
    message.put("content", c.text.length() > 0 ? c.text.toString() : other ? null : "");
    message.put("refusal", c.refusal.length() > 0 ? c.refusal.toString() : null);
    if (c.reasoning.length() > 0) message.put("reasoning_content", c.reasoning.toString());
    if (!c.calls.isEmpty()) message.put("tool_calls", c.calls);
    JsonObject choice = new JsonObject().put("index", 0).put("message", message).putNull("logprobs")
        .put("finish_reason", finishReason(in, !c.calls.isEmpty()));
    JsonObject out = new JsonObject()
        .put("id", completionId(in.getValue("id"), minted))
        .put("object", "chat.completion")
        .put("created", in.getValue("created_at") instanceof Number n && n.longValue() > 0 ? n.longValue() : now)
        .put("model", clientModel)
        .put("choices", new JsonArray().add(choice));
    if (in.getValue("usage") instanceof JsonObject u) out.put("usage", chatUsage(u));
    return out;
  }

  /** The Chat finish reason for a finished Response: tool_calls whenever a call went out (P25). */
  static String finishReason(JsonObject response, boolean sawCall) {
    if ("incomplete".equals(response.getValue("status"))) {
      Object reason = response.getValue("incomplete_details") instanceof JsonObject d ? d.getValue("reason") : null;
      return "content_filter".equals(reason) ? "content_filter" : "length";
    }
    return sawCall ? "tool_calls" : "stop";
  }

  static String completionId(Object upstreamId, String minted) {
    String id = upstreamId instanceof String s && !s.isEmpty() ? s : minted;
    return "chatcmpl-" + (id.startsWith("resp_") ? id.substring(5) : id);
  }

  /** Chat usage from Responses usage: the same totals, cached inside input and reasoning inside output. */
  static JsonObject chatUsage(JsonObject u) {
    JsonObject in = u.getValue("input_tokens_details") instanceof JsonObject d ? d : new JsonObject();
    JsonObject out = u.getValue("output_tokens_details") instanceof JsonObject d ? d : new JsonObject();
    long input = ResponsesObjects.num(u, "input_tokens");
    long output = ResponsesObjects.num(u, "output_tokens");
    JsonObject prompt = new JsonObject().put("cached_tokens", Math.min(input, ResponsesObjects.num(in, "cached_tokens")));
    if (in.getValue("cache_write_tokens") instanceof Number) prompt.put("cache_write_tokens", ResponsesObjects.num(in, "cache_write_tokens"));
    return new JsonObject()
        .put("prompt_tokens", input)
        .put("completion_tokens", output)
        .put("total_tokens", input + output)
        .put("prompt_tokens_details", prompt)
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", Math.min(output, ResponsesObjects.num(out, "reasoning_tokens"))));
  }

  static Usage usage(JsonObject responsesUsage) {
    JsonObject chat = chatUsage(responsesUsage);
    return new Usage(chat.getLong("prompt_tokens"), chat.getLong("completion_tokens"),
        chat.getJsonObject("prompt_tokens_details").getLong("cached_tokens"),
        chat.getJsonObject("completion_tokens_details").getLong("reasoning_tokens"));
  }

  /** What the output items say, gathered in order. */
  private record Content(StringBuilder text, StringBuilder refusal, StringBuilder reasoning, JsonArray calls) {

    static Content of(Object output) {
      if (!(output instanceof JsonArray items)) throw new TranslationException("The upstream answer has no output array");
      Content c = new Content(new StringBuilder(), new StringBuilder(), new StringBuilder(), new JsonArray());
      for (Object o : items) {
        if (!(o instanceof JsonObject item)) continue;
        Object type = item.getValue("type");
        if ("message".equals(type) && item.getValue("content") instanceof JsonArray parts) {
          for (Object p : parts) {
            if (!(p instanceof JsonObject part)) continue;
            if ("output_text".equals(part.getValue("type")) && part.getValue("text") instanceof String t) c.text.append(t);
            if ("refusal".equals(part.getValue("type")) && part.getValue("refusal") instanceof String r) c.refusal.append(r);
          }
        } else if ("reasoning".equals(type)) {
          c.reasoning(item.getValue("summary"));
        } else if ("function_call".equals(type)) {
          String callId = item.getValue("call_id") instanceof String id && !id.isEmpty() ? id
              : item.getValue("id") instanceof String id2 ? id2 : "call_" + c.calls.size();
          c.calls.add(new JsonObject().put("id", callId).put("type", "function").put("function", new JsonObject()
              .put("name", item.getValue("name") instanceof String n ? n : "")
              .put("arguments", item.getValue("arguments") instanceof String a ? a : "")));
        }
      }
      return c;
    }

    private void reasoning(Object summary) {
      if (!(summary instanceof JsonArray parts)) return;
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String t && !t.isEmpty()) {
          if (reasoning.length() > 0) reasoning.append("\n\n");
          reasoning.append(t);
        }
      }
    }
  }
}
