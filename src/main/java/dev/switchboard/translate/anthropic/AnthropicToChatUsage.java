package dev.switchboard.translate.anthropic;

import dev.switchboard.stats.Usage;
import io.vertx.core.json.JsonObject;

/**
 * Anthropic usage seen so far, in Chat terms ({@code cross-protocol.md} §9, P22): prompt =
 * input + cache read + cache write, cached = cache read, completion = output. Fields in a later
 * usage object replace earlier ones (they are cumulative, P7), so nothing is counted twice.
 */
public final class AnthropicToChatUsage {

  private long input;
  private long cacheRead;
  private long cacheWrite;
  private long cacheWrite1h;
  private long output;
  private long thinking;
  private boolean seen;

  /** Takes the fields present in an Anthropic usage object; anything not an object is ignored. */
  public void update(Object usage) {
    if (!(usage instanceof JsonObject u)) return;
    seen = true;
    input = take(u, "input_tokens", input);
    cacheRead = take(u, "cache_read_input_tokens", cacheRead);
    cacheWrite = take(u, "cache_creation_input_tokens", cacheWrite);
    if (u.getValue("cache_creation") instanceof JsonObject c) cacheWrite1h = take(c, "ephemeral_1h_input_tokens", cacheWrite1h);
    output = take(u, "output_tokens", output);
    if (u.getValue("output_tokens_details") instanceof JsonObject d) thinking = take(d, "thinking_tokens", thinking);
  }

  public boolean seen() {
    return seen;
  }

  /** In the gateway's terms; cache writes split into one hour and the rest (five minutes). */
  public Usage toUsage() {
    long oneHour = Math.min(cacheWrite1h, cacheWrite);
    return new Usage(input + cacheRead + cacheWrite, output, cacheRead, Math.min(thinking, output))
        .withCacheWrites(cacheWrite - oneHour, oneHour);
  }

  JsonObject toChat() {
    long prompt = input + cacheRead + cacheWrite;
    return new JsonObject()
        .put("prompt_tokens", prompt)
        .put("completion_tokens", output)
        .put("total_tokens", prompt + output)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cacheRead).put("cache_write_tokens", cacheWrite))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", Math.min(thinking, output)));
  }

  private static long take(JsonObject o, String key, long current) {
    return o.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : current;
  }
}
