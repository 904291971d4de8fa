package dev.switchboard.testing.wire;

import dev.switchboard.demo.OpenAiWire;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * What one successful mock answer says, independent of the protocol: ids, the text deltas,
 * the reasoning deltas, the tool calls and the usage in OpenAI terms (cached within prompt,
 * reasoning within completion). A {@link Wire} turns it into bytes.
 *
 * @param id a per-request number, used to derive each protocol's ids
 * @param includeUsage OpenAI Chat only: whether the stream ends with a usage chunk
 */
public record Answer(long id, long created, String model, String[] pieces, String[] thinking,
    List<ToolCall> toolCalls, OpenAiWire.Usage usage, boolean includeUsage) {

  public String text() {
    return String.join("", pieces);
  }

  public boolean hasThinking() {
    return thinking.length > 0;
  }

  public String thinkingText() {
    return String.join("", thinking);
  }

  /** A stable fake signature for this answer's reasoning. */
  public String signature() {
    return Base64.getEncoder().encodeToString(
        ("mock-thought-" + id).getBytes(StandardCharsets.UTF_8));
  }
}
