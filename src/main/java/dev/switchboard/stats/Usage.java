package dev.switchboard.stats;

/**
 * Token counts of one response in the gateway's own terms: {@code input} includes cached
 * tokens and {@code output} includes reasoning tokens, as OpenAI reports them.
 */
public record Usage(long input, long output, long cached, long reasoning) {

  public static final Usage NONE = new Usage(0, 0, 0, 0);

  public long total() {
    return input + output;
  }
}
