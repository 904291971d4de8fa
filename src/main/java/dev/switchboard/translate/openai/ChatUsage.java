package dev.switchboard.translate.openai;

import dev.switchboard.stats.Usage;
import io.vertx.core.json.JsonObject;

/** OpenAI's usage object in the gateway's terms (both count cached and reasoning inside the totals). */
public final class ChatUsage {

  private ChatUsage() {}

  public static Usage parse(JsonObject u) {
    JsonObject prompt = u.getValue("prompt_tokens_details") instanceof JsonObject p ? p : new JsonObject();
    JsonObject completion = u.getValue("completion_tokens_details") instanceof JsonObject c ? c : new JsonObject();
    return new Usage(num(u, "prompt_tokens"), num(u, "completion_tokens"), num(prompt, "cached_tokens"),
        num(completion, "reasoning_tokens"));
  }

  private static long num(JsonObject o, String key) {
    return o.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}
