package dev.switchboard.translate.gemini;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Replays a Gemini client stream the way python-genai consumes {@code ?alt=sse}: every event one
 * {@code data:} record holding a whole {@code GenerateContentResponse} (or an error object, which
 * raises), text taken from the new parts of each chunk, function calls whole, the last event the
 * one with {@code finishReason}. Fails on events after an error or after the finishing event,
 * partial function calls (no name, arguments not an object), or a stream ending without either.
 */
final class GeminiClientReplay {

  final StringBuilder text = new StringBuilder();
  final StringBuilder thoughts = new StringBuilder();
  final JsonArray functionCalls = new JsonArray();
  String finishReason;
  JsonObject usage;
  JsonObject error;
  String responseId;

  static GeminiClientReplay of(List<Buffer> out) {
    GeminiClientReplay r = new GeminiClientReplay();
    for (Object event : GeminiFixtures.dataOf(out)) r.apply(event);
    check(r.finishReason != null || r.error != null, "the stream ended without a finishReason or an error");
    return r;
  }

  private void apply(Object event) {
    check(event instanceof JsonObject, "Gemini streams have no [DONE]: " + event);
    JsonObject chunk = (JsonObject) event;
    check(error == null && finishReason == null, "event after the end: " + chunk);
    if (chunk.getValue("error") instanceof JsonObject e) {
      check(e.getValue("code") instanceof Number && e.getValue("message") instanceof String && e.getValue("status") instanceof String,
          "error needs code, message and status: " + chunk);
      error = e;
      return;
    }
    if (responseId == null) responseId = chunk.getString("responseId");
    check(responseId != null && responseId.equals(chunk.getString("responseId")), "responseId changed: " + chunk);
    JsonObject candidate = chunk.getJsonArray("candidates").getJsonObject(0);
    for (Object o : candidate.getJsonObject("content").getJsonArray("parts")) {
      JsonObject part = (JsonObject) o;
      if (part.getValue("functionCall") instanceof JsonObject call) {
        check(call.getValue("name") instanceof String n && !n.isEmpty() && call.getValue("args") instanceof JsonObject,
            "a whole function call: " + part);
        functionCalls.add(call);
      } else if (Boolean.TRUE.equals(part.getValue("thought"))) {
        thoughts.append(part.getString("text"));
      } else {
        text.append(part.getString("text"));
      }
    }
    if (candidate.getValue("finishReason") instanceof String f) {
      finishReason = f;
      usage = chunk.getJsonObject("usageMetadata");
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }
}
