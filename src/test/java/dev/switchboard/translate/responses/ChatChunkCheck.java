package dev.switchboard.translate.responses;

import com.openai.core.ObjectMappers;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Replays Chat chunks the way the OpenAI SDKs do and fails on what they would mis-assemble:
 * {@code role} twice, a tool call's id or name repeated after its first delta (P2), sparse tool
 * indexes (P5), anything after {@code [DONE]} or an error. Every chunk is also parsed by
 * openai-java and fed to its {@link ChatCompletionAccumulator}.
 */
final class ChatChunkCheck {

  JsonObject error;
  boolean doneSeen;
  String finishReason;
  JsonObject usage;
  ChatCompletion sdkCompletion;
  private final ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
  private boolean roleSeen;
  private int tools;

  static ChatChunkCheck replay(List<Buffer> out) {
    ChatChunkCheck check = new ChatChunkCheck();
    for (Buffer b : out) check.apply(b.toString(StandardCharsets.UTF_8));
    return check;
  }

  boolean ended() {
    return doneSeen || error != null;
  }

  void apply(String record) {
    check(record.startsWith("data: ") && record.endsWith("\n\n") && record.indexOf('\n') == record.length() - 2, "one data record: " + record);
    check(!ended(), "chunk after the stream ended: " + record);
    String payload = record.substring(6, record.length() - 2);
    if (payload.equals("[DONE]")) {
      check(finishReason != null, "[DONE] without a finish chunk");
      doneSeen = true;
      sdkCompletion = accumulator.chatCompletion();
      return;
    }
    JsonObject chunk = new JsonObject(payload);
    if (chunk.getValue("error") instanceof JsonObject e) {
      check(e.getValue("message") instanceof String && e.getValue("type") instanceof String, "error without message/type");
      error = e;
      return;
    }
    try {
      accumulator.accumulate(ObjectMappers.jsonMapper().readValue(payload, ChatCompletionChunk.class).validate());
    } catch (Exception ex) {
      throw new AssertionError("openai-java rejects " + payload + ": " + ex, ex);
    }
    if (chunk.getValue("usage") instanceof JsonObject u) usage = u;
    JsonArray choices = chunk.getJsonArray("choices");
    if (choices.isEmpty()) return;
    check(finishReason == null, "choice chunk after the finish chunk");
    JsonObject choice = choices.getJsonObject(0);
    JsonObject delta = choice.getJsonObject("delta");
    if (delta.containsKey("role")) {
      check(!roleSeen, "role sent twice");
      roleSeen = true;
    }
    check(roleSeen, "first chunk without role");
    if (delta.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object o : calls) {
        JsonObject call = (JsonObject) o;
        int index = call.getInteger("index");
        boolean first = index == tools;
        check(index <= tools, "tool index " + index + " skips " + tools);
        if (first) {
          tools++;
          check(call.getValue("id") instanceof String id && !id.isEmpty(), "first tool delta without id");
          check(call.getJsonObject("function").getValue("name") instanceof String, "first tool delta without name");
        } else {
          check(!call.containsKey("id") && !call.getJsonObject("function").containsKey("name"), "id or name repeated: " + call);
        }
      }
    }
    if (choice.getValue("finish_reason") instanceof String f) {
      finishReason = f;
      // a cut-off answer may end mid-call: length or content_filter then say why, anything else must be tool_calls
      check(tools == 0 || f.equals("tool_calls") || f.equals("length") || f.equals("content_filter"), "tool calls sent but finish_reason " + f);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }
}
