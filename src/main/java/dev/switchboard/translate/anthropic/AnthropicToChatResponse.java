package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * A whole Anthropic message as a {@code chat.completion} ({@code translation-matrix.md} §1.2).
 * Thinking goes to the {@code reasoning_content} extension and, with its signature, to
 * {@code thinking_blocks} (LiteLLM's field), which a client may echo back to continue a tool
 * loop with thinking on.
 */
final class AnthropicToChatResponse {

  private AnthropicToChatResponse() {}

  static JsonObject map(JsonObject in, String clientModel, long created, Supplier<String> ids) {
    if ("error".equals(in.getValue("type"))) {
      throw new TranslationException("The upstream answered with an error: "
          + AnthropicToChatErrors.envelope(200, in).getJsonObject("error").getString("message"));
    }
    if (!(in.getValue("content") instanceof JsonArray content)) {
      throw new TranslationException("The upstream answer has no content array");
    }
    StringBuilder text = null;
    StringBuilder reasoning = null;
    JsonArray thinkingBlocks = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    for (Object o : content) {
      if (!(o instanceof JsonObject block)) continue;
      Object type = block.getValue("type");
      if ("text".equals(type) && block.getValue("text") instanceof String t) {
        text = (text == null ? new StringBuilder() : text).append(t);
      } else if ("thinking".equals(type) && block.getValue("thinking") instanceof String t) {
        reasoning = (reasoning == null ? new StringBuilder() : reasoning).append(t);
        thinkingBlocks.add(new JsonObject().put("type", "thinking").put("thinking", t)
            .put("signature", block.getValue("signature") instanceof String s ? s : ""));
      } else if ("redacted_thinking".equals(type) && block.getValue("data") instanceof String d) {
        thinkingBlocks.add(new JsonObject().put("type", "redacted_thinking").put("data", d));
      } else if ("tool_use".equals(type)) {
        Object input = block.getValue("input");
        String id = block.getValue("id") instanceof String s && !s.isEmpty() ? s : "call_" + toolCalls.size();
        toolCalls.add(new JsonObject()
            .put("id", id)
            .put("type", "function")
            .put("function", new JsonObject()
                .put("name", block.getValue("name") instanceof String name ? name : "")
                .put("arguments", input instanceof JsonObject obj ? obj.encode() : "{}")));
      }
    }
    JsonObject message = new JsonObject().put("role", "assistant");
    message.put("content", text != null ? text.toString() : toolCalls.isEmpty() ? "" : null);
    message.putNull("refusal");
    if (reasoning != null) message.put("reasoning_content", reasoning.toString());
    if (!thinkingBlocks.isEmpty()) message.put("thinking_blocks", thinkingBlocks);
    if (!toolCalls.isEmpty()) message.put("tool_calls", toolCalls);

    AnthropicToChatUsage usage = new AnthropicToChatUsage();
    usage.update(in.getValue("usage"));
    JsonObject choice = new JsonObject()
        .put("index", 0)
        .put("message", message)
        .putNull("logprobs")
        .put("finish_reason", AnthropicToChatFinish.of(in.getValue("stop_reason"), !toolCalls.isEmpty()));
    return new JsonObject()
        .put("id", completionId(in.getValue("id"), ids))
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", clientModel)
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage.toChat());
  }

  static String completionId(Object upstreamId, Supplier<String> ids) {
    return upstreamId instanceof String s && !s.isEmpty() ? "chatcmpl-" + s : ids.get();
  }
}
