package dev.switchboard.demo;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes OpenAI Chat Completions wire JSON: the {@code chat.completion} body, stream chunks,
 * the usage chunk, {@code data: [DONE]}, the error envelope and the model list. Field order
 * and shapes follow {@code shared/protocols/openai-chat.md} sections 4 to 7.
 *
 * <p>Built with a {@link StringBuilder} rather than a JSON tree: chunk prefixes are computed
 * once per stream, so a benchmark upstream writing thousands of streams stays cheap.
 */
public final class OpenAiWire {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

  private OpenAiWire() {}

  /** Token counts of one answer; {@code cached} and {@code reasoning} are subsets. */
  public record Usage(
      int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {

    public int totalTokens() {
      return promptTokens + completionTokens;
    }

    /** Rough numbers for fake upstreams: about four tokens per three words. */
    public static Usage estimate(String prompt, String completion) {
      return new Usage(estimateTokens(prompt), estimateTokens(completion), 0, 0);
    }
  }

  /** About four tokens per three whitespace-separated words, at least one. */
  public static int estimateTokens(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean space = Character.isWhitespace(text.charAt(i));
      if (!space && !inWord) {
        words++;
      }
      inWord = !space;
    }
    return Math.max(1, (words * 4 + 2) / 3);
  }

  /** A non-stream {@code chat.completion} body with one choice holding {@code content}. */
  public static Buffer completion(
      String id, long created, String model, String content, String finishReason, Usage usage) {
    StringBuilder sb = new StringBuilder(256 + content.length());
    sb.append("{\"id\":");
    quote(sb, id);
    sb.append(",\"object\":\"chat.completion\",\"created\":").append(created).append(",\"model\":");
    quote(sb, model);
    sb.append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    quote(sb, content);
    sb.append(",\"refusal\":null},\"logprobs\":null,\"finish_reason\":");
    quote(sb, finishReason);
    sb.append("}],\"usage\":");
    appendUsage(sb, usage);
    sb.append('}');
    return Buffer.buffer(sb.toString());
  }

  /** The chunk writer for one stream; {@code id}, {@code created} and {@code model} are shared. */
  public static Chunks chunks(String id, long created, String model, boolean usageRequested) {
    return new Chunks(id, created, model, usageRequested);
  }

  /** {@code data: [DONE]\n\n}. */
  public static Buffer done() {
    return Buffer.buffer(DONE);
  }

  /** The error envelope {@code {"error":{"message","type","param":null,"code"}}}. */
  public static Buffer error(String message, String type, String code) {
    return Buffer.buffer(errorJson(message, type, code));
  }

  /** The error envelope as an SSE event, for failures after a stream has started. */
  public static Buffer errorEvent(String message, String type, String code) {
    return Buffer.buffer("data: " + errorJson(message, type, code) + "\n\n");
  }

  /** {@code GET /v1/models} body listing {@code ids}. */
  public static Buffer models(List<String> ids, long created, String ownedBy) {
    StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < ids.size(); i++) {
      sb.append(i == 0 ? "{\"id\":" : ",{\"id\":");
      quote(sb, ids.get(i));
      sb.append(",\"object\":\"model\",\"created\":").append(created).append(",\"owned_by\":");
      quote(sb, ownedBy);
      sb.append('}');
    }
    return Buffer.buffer(sb.append("]}").toString());
  }

  /**
   * Stream chunks of one answer, each a complete {@code data: {...}\n\n} event. Send
   * {@link #role()} first, then {@link #content} deltas, one {@link #finish}, then
   * {@link #usage} only when the client asked for it, then {@link OpenAiWire#done()}.
   */
  public static final class Chunks {
    private final String prefix;
    private final String choiceSuffix;

    private Chunks(String id, long created, String model, boolean usageRequested) {
      StringBuilder sb = new StringBuilder(128);
      sb.append("data: {\"id\":");
      quote(sb, id);
      sb.append(",\"object\":\"chat.completion.chunk\",\"created\":").append(created);
      sb.append(",\"model\":");
      quote(sb, model);
      this.prefix = sb.append(",\"choices\":[").toString();
      // With include_usage every chunk but the last carries "usage":null; without, no usage key.
      this.choiceSuffix = usageRequested ? "}],\"usage\":null}\n\n" : "}]}\n\n";
    }

    /** First chunk: {@code delta: {"role":"assistant","content":""}}. */
    public Buffer role() {
      return Buffer.buffer(prefix
          + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
          + "\"finish_reason\":null" + choiceSuffix);
    }

    /** A content delta. */
    public Buffer content(String text) {
      StringBuilder sb = new StringBuilder(prefix.length() + text.length() + 96);
      sb.append(prefix).append("{\"index\":0,\"delta\":{\"content\":");
      quote(sb, text);
      sb.append("},\"logprobs\":null,\"finish_reason\":null").append(choiceSuffix);
      return Buffer.buffer(sb.toString());
    }

    /** The finish chunk: empty delta and the finish reason. */
    public Buffer finish(String finishReason) {
      StringBuilder sb = new StringBuilder(prefix.length() + 96);
      sb.append(prefix).append("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":");
      quote(sb, finishReason);
      return Buffer.buffer(sb.append(choiceSuffix).toString());
    }

    /** The usage chunk sent before {@code [DONE]}: {@code choices: []}. */
    public Buffer usage(Usage usage) {
      StringBuilder sb = new StringBuilder(prefix.length() + 160);
      sb.append(prefix).append("],\"usage\":");
      appendUsage(sb, usage);
      return Buffer.buffer(sb.append("}\n\n").toString());
    }
  }

  private static String errorJson(String message, String type, String code) {
    StringBuilder sb = new StringBuilder(96 + message.length());
    sb.append("{\"error\":{\"message\":");
    quote(sb, message);
    sb.append(",\"type\":");
    quote(sb, type);
    sb.append(",\"param\":null,\"code\":");
    quote(sb, code);
    return sb.append("}}").toString();
  }

  private static void appendUsage(StringBuilder sb, Usage u) {
    sb.append("{\"prompt_tokens\":").append(u.promptTokens())
        .append(",\"completion_tokens\":").append(u.completionTokens())
        .append(",\"total_tokens\":").append(u.totalTokens())
        .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(u.cachedTokens())
        .append("},\"completion_tokens_details\":{\"reasoning_tokens\":")
        .append(u.reasoningTokens())
        .append("}}");
  }

  /** Appends {@code s} as a JSON string literal, or {@code null}. */
  static void quote(StringBuilder sb, String s) {
    if (s == null) {
      sb.append("null");
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00").append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xF, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
