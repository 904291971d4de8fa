package dev.switchboard.translate.responses;

import dev.switchboard.translate.TranslationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code instructions} and {@code input} items as Chat messages ({@code translation-matrix.md}
 * §7.1). System and developer items keep their role and place (P14). Consecutive function_call
 * items become one assistant message, merged into the assistant text just before them; their
 * outputs follow as tool messages, and any message that sits between a call and its output
 * waits until the outputs are placed, since Chat wants tool messages right after their call (P11).
 */
final class ResponsesToChatInput {

  private final boolean replayReasoning;
  private final JsonArray out = new JsonArray();
  private final List<JsonObject> deferred = new ArrayList<>();
  private final Set<String> unanswered = new LinkedHashSet<>();
  private JsonObject lastAssistant; // open for more tool calls until a tool message or another turn
  private StringBuilder reasoning;

  private ResponsesToChatInput(boolean replayReasoning) {
    this.replayReasoning = replayReasoning;
  }

  static JsonArray map(Object instructions, Object input, boolean replayReasoning) {
    ResponsesToChatInput history = new ResponsesToChatInput(replayReasoning);
    if (instructions != null && !(instructions instanceof String)) throw new TranslationException("'instructions' must be a string");
    if (instructions instanceof String s && !s.isBlank()) history.out.add(new JsonObject().put("role", "system").put("content", s));
    if (input instanceof String s) {
      history.out.add(new JsonObject().put("role", "user").put("content", s));
    } else if (input instanceof JsonArray items) {
      for (int i = 0; i < items.size(); i++) history.item(items.getValue(i), "input[" + i + "]");
      history.end();
    } else {
      throw new TranslationException("'input' must be a string or an array of items");
    }
    if (history.out.isEmpty()) throw new TranslationException("'input' must contain at least one message");
    return history.out;
  }

  private void item(Object value, String where) {
    if (!(value instanceof JsonObject item)) throw new TranslationException("'" + where + "' must be an object");
    Object type = item.getValue("type", "message");
    switch (type instanceof String t ? t : "") {
      case "message" -> message(item, where);
      case "function_call" -> call(item.getValue("call_id"), name(item), item.getValue("arguments"), where);
      case "custom_tool_call" -> call(item.getValue("call_id"), name(item),
          new JsonObject().put("input", item.getValue("input") instanceof String s ? s : "").encode(), where);
      case "function_call_output", "custom_tool_call_output" -> output(item, where);
      case "reasoning" -> reasoning(item);
      case "item_reference" -> throw new TranslationException("'" + where + "': item references are not supported for this "
          + "model: the gateway does not store items; send the items themselves");
      // hosted tool calls and their results (web_search_call, ...) cannot be replayed to a Chat upstream
      default -> { }
    }
  }

  private void message(JsonObject item, String where) {
    Object role = item.getValue("role");
    if ("user".equals(role) || "system".equals(role) || "developer".equals(role)) {
      Object content = "user".equals(role) ? ResponsesToChatContent.user(item.getValue("content"), where)
          : ResponsesToChatContent.text(item.getValue("content"), where);
      if (content == null) return;
      JsonObject m = new JsonObject().put("role", role).put("content", content);
      if (unanswered.isEmpty()) emit(m);
      else deferred.add(m);
    } else if ("assistant".equals(role)) {
      String text = ResponsesToChatContent.text(item.getValue("content"), where);
      if (text == null) return;
      flushDeferredOrFail(where);
      emit(assistant().put("content", text));
    } else {
      throw new TranslationException("'" + where + ".role' must be user, assistant, system or developer");
    }
  }

  private void call(Object callId, Object name, Object arguments, String where) {
    if (!(callId instanceof String id) || id.isEmpty()) throw new TranslationException("'" + where + ".call_id' is required");
    if (!(name instanceof String n) || n.isEmpty()) throw new TranslationException("'" + where + ".name' is required");
    if (arguments != null && !(arguments instanceof String)) throw new TranslationException("'" + where + ".arguments' must be a string");
    if (lastAssistant == null) {
      flushDeferredOrFail(where);
      emit(assistant().putNull("content"));
    }
    JsonArray calls = lastAssistant.getValue("tool_calls") instanceof JsonArray a ? a : new JsonArray();
    lastAssistant.put("tool_calls", calls);
    calls.add(new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", n).put("arguments", arguments == null ? "{}" : arguments)));
    unanswered.add(id);
  }

  /** The Chat function name a call was offered under: a namespaced call carries its namespace. */
  private static Object name(JsonObject item) {
    if (!(item.getValue("name") instanceof String name)) return item.getValue("name");
    return ResponsesToolNames.chatName(item.getValue("namespace") instanceof String ns ? ns : null, name);
  }

  private void output(JsonObject item, String where) {
    if (!(item.getValue("call_id") instanceof String id) || !unanswered.remove(id)) {
      throw new TranslationException("'" + where + ".call_id' does not match a function_call before it that is still unanswered");
    }
    JsonArray media = new JsonArray();
    String text = ResponsesToChatContent.toolOutput(item.getValue("output"), media, where);
    out.add(new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", text));
    lastAssistant = null;
    // Chat tool messages carry text only: images go into a user message after all the results (P13)
    if (!media.isEmpty()) deferred.add(0, new JsonObject().put("role", "user").put("content", media));
    if (unanswered.isEmpty()) flushDeferred();
  }

  private void reasoning(JsonObject item) {
    if (!replayReasoning || !(item.getValue("summary") instanceof JsonArray summary)) return;
    for (Object o : summary) {
      if (o instanceof JsonObject part && part.getValue("text") instanceof String t && !t.isEmpty()) {
        reasoning = reasoning == null ? new StringBuilder(t) : reasoning.append("\n\n").append(t);
      }
    }
  }

  private JsonObject assistant() {
    JsonObject m = new JsonObject().put("role", "assistant");
    if (reasoning != null) m.put("reasoning_content", reasoning.toString());
    reasoning = null;
    return m;
  }

  private void emit(JsonObject m) {
    out.add(m);
    lastAssistant = "assistant".equals(m.getValue("role")) ? m : null;
  }

  private void flushDeferred() {
    for (JsonObject m : deferred) emit(m);
    deferred.clear();
  }

  private void flushDeferredOrFail(String where) {
    if (!unanswered.isEmpty()) {
      throw new TranslationException("'" + where + "' follows function_call " + unanswered.iterator().next()
          + " before its function_call_output");
    }
    flushDeferred();
  }

  /** Calls left unanswered at the very end are dropped: Chat refuses a tool call without its result. */
  private void end() {
    if (!unanswered.isEmpty() && deferred.isEmpty() && lastAssistant != null) {
      JsonArray kept = new JsonArray();
      for (Object c : lastAssistant.getJsonArray("tool_calls")) {
        if (!unanswered.contains(((JsonObject) c).getString("id"))) kept.add(c);
      }
      if (kept.isEmpty()) lastAssistant.remove("tool_calls");
      else lastAssistant.put("tool_calls", kept);
      if (!lastAssistant.containsKey("tool_calls") && lastAssistant.getValue("content") == null) out.remove(out.size() - 1);
      unanswered.clear();
    }
    if (!unanswered.isEmpty()) {
      throw new TranslationException("function_call " + unanswered.iterator().next() + " has no function_call_output");
    }
    flushDeferred();
  }
}
