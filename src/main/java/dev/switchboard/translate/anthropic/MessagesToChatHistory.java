package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic {@code system} and {@code messages} as OpenAI Chat messages. Consecutive turns of one
 * role are merged first (the Anthropic API merges them too), so every assistant turn with
 * tool_use blocks becomes one Chat message and its results follow it directly as {@code tool}
 * messages, in the order of its {@code tool_calls}.
 */
final class MessagesToChatHistory {

  /** Chat has no error flag on tool messages: the text says it instead. */
  static final String TOOL_ERROR_PREFIX = "[tool error] ";

  private final boolean replayReasoning;
  private final JsonArray out = new JsonArray();
  private List<String> lastCallIds = List.of();
  /** System turns that arrived between tool calls and their results wait for the results. */
  private final List<JsonObject> deferred = new ArrayList<>();

  private MessagesToChatHistory(boolean replayReasoning) {
    this.replayReasoning = replayReasoning;
  }

  /** The Chat {@code messages} array for an Anthropic request. */
  static JsonArray map(JsonObject request, boolean replayReasoning) {
    MessagesToChatHistory history = new MessagesToChatHistory(replayReasoning);
    history.system(request.getValue("system"));
    if (!(request.getValue("messages") instanceof JsonArray messages)) {
      throw new TranslationException("'messages' is required and must be an array");
    }
    for (Turn turn : merge(messages)) {
      switch (turn.role) {
        case "user" -> history.user(turn.blocks);
        case "assistant" -> history.assistant(turn.blocks);
        case "system" -> history.midConversationSystem(turn.blocks);
        default -> throw new TranslationException("unknown message role '" + turn.role + "'");
      }
    }
    history.flushDeferred();
    return history.out;
  }

  private record Turn(String role, List<JsonObject> blocks) {}

  private static List<Turn> merge(JsonArray messages) {
    List<Turn> turns = new ArrayList<>();
    for (Object m : messages) {
      if (!(m instanceof JsonObject message) || !(message.getValue("role") instanceof String role)) {
        throw new TranslationException("each message needs a 'role'");
      }
      List<JsonObject> blocks = MessagesToChatContent.blocks(message.getValue("content"));
      Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
      // mid-conversation system entries keep their place; never merged into a neighbour
      if (last != null && last.role.equals(role) && !role.equals("system")) {
        last.blocks.addAll(blocks);
      } else {
        turns.add(new Turn(role, blocks));
      }
    }
    return turns;
  }

  private void system(Object system) {
    if (system == null) return;
    JsonObject message = systemMessage(MessagesToChatContent.blocks(system));
    if (message != null) out.add(message);
  }

  /** Chat tool messages must follow their assistant message directly: a system turn waits. */
  private void midConversationSystem(List<JsonObject> blocks) {
    JsonObject message = systemMessage(blocks);
    if (message == null) return;
    if (lastCallIds.isEmpty()) out.add(message);
    else deferred.add(message);
  }

  private static JsonObject systemMessage(List<JsonObject> blocks) {
    String text = MessagesToChatContent.joinText(blocks, "\n\n");
    return text.isEmpty() ? null : new JsonObject().put("role", "system").put("content", text);
  }

  private void flushDeferred() {
    deferred.forEach(out::add);
    deferred.clear();
  }

  private void user(List<JsonObject> blocks) {
    List<JsonObject> results = new ArrayList<>();
    JsonArray parts = new JsonArray();
    JsonArray resultMedia = new JsonArray();
    for (JsonObject block : blocks) {
      if ("tool_result".equals(block.getValue("type"))) {
        results.add(block);
      } else {
        MessagesToChatContent.userPart(block, parts);
      }
    }
    for (JsonObject result : ordered(results)) {
      out.add(toolMessage(result, resultMedia));
    }
    flushDeferred();
    // Chat tool messages carry text only: their images go into the user message after them
    JsonArray content = resultMedia.addAll(parts);
    if (content.size() == 1 && "text".equals(content.getJsonObject(0).getValue("type"))) {
      // one text part is sent as a plain string: every Chat upstream takes that form
      out.add(new JsonObject().put("role", "user").put("content", content.getJsonObject(0).getString("text")));
    } else if (!content.isEmpty()) {
      out.add(new JsonObject().put("role", "user").put("content", content));
    }
    lastCallIds = List.of();
  }

  /** Results in the order of the calls they answer; unknown ids keep their place at the end. */
  private List<JsonObject> ordered(List<JsonObject> results) {
    List<JsonObject> sorted = new ArrayList<>(results);
    sorted.sort((a, b) -> Integer.compare(rank(a), rank(b)));
    return sorted;
  }

  private int rank(JsonObject result) {
    int i = lastCallIds.indexOf(String.valueOf(result.getValue("tool_use_id")));
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static JsonObject toolMessage(JsonObject result, JsonArray media) {
    if (!(result.getValue("tool_use_id") instanceof String id) || id.isEmpty()) {
      throw new TranslationException("tool_result needs a 'tool_use_id'");
    }
    Object content = result.getValue("content");
    String text;
    if (content == null || content instanceof String) {
      text = content == null ? "" : (String) content;
    } else {
      List<JsonObject> blocks = MessagesToChatContent.blocks(content);
      StringBuilder joined = new StringBuilder();
      for (JsonObject block : blocks) {
        if ("text".equals(block.getValue("type"))) {
          if (joined.length() > 0) joined.append('\n');
          joined.append(MessagesToChatContent.text(block));
        } else {
          MessagesToChatContent.userPart(block, media);
        }
      }
      text = joined.toString();
    }
    if (Boolean.TRUE.equals(result.getValue("is_error"))) text = TOOL_ERROR_PREFIX + text;
    return new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", text);
  }

  private void assistant(List<JsonObject> blocks) {
    flushDeferred();
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    JsonArray calls = new JsonArray();
    List<String> ids = new ArrayList<>();
    for (JsonObject block : blocks) {
      String type = String.valueOf(block.getValue("type"));
      switch (type) {
        case "text" -> text.append(MessagesToChatContent.text(block));
        case "tool_use" -> {
          JsonObject call = toolCall(block);
          calls.add(call);
          ids.add(call.getString("id"));
        }
        case "thinking" -> {
          if (block.getValue("thinking") instanceof String t) reasoning.append(t);
        }
        // signatures and redacted thinking are provider-bound: never forwarded
        case "redacted_thinking" -> { }
        default -> {
          if (!MessagesToChatContent.isServerToolBlock(type)) {
            throw new TranslationException("assistant content block type '" + type + "' is not supported");
          }
        }
      }
    }
    if (text.length() == 0 && calls.isEmpty()) {
      lastCallIds = List.of();
      return;
    }
    JsonObject message = new JsonObject().put("role", "assistant");
    message.put("content", text.length() == 0 ? null : text.toString());
    if (replayReasoning && reasoning.length() > 0) message.put("reasoning_content", reasoning.toString());
    if (!calls.isEmpty()) message.put("tool_calls", calls);
    out.add(message);
    lastCallIds = ids;
  }

  private static JsonObject toolCall(JsonObject block) {
    if (!(block.getValue("id") instanceof String id) || id.isEmpty()
        || !(block.getValue("name") instanceof String name)) {
      throw new TranslationException("tool_use needs an 'id' and a 'name'");
    }
    Object input = block.getValue("input");
    String arguments = input == null ? "{}" : input instanceof JsonObject o ? o.encode() : String.valueOf(input);
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }
}
