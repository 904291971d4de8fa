package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * OpenAI Chat Completions clients served by an Anthropic Messages upstream
 * ({@code translation-matrix.md} §1). Stateless; the clock and the id source are injected so
 * that answers are reproducible in tests.
 */
public final class ChatToAnthropic implements Translation {

  /** {@code max_tokens} when the client sent none (LiteLLM's choice, {@code cross-protocol.md} §2). */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  private final int defaultMaxTokens;
  private final Clock clock;
  private final Supplier<String> ids;

  public ChatToAnthropic() {
    this(DEFAULT_MAX_TOKENS, Clock.systemUTC(), () -> "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));
  }

  /**
   * @param ids completion ids for answers whose upstream message carries no id of its own
   */
  public ChatToAnthropic(int defaultMaxTokens, Clock clock, Supplier<String> ids) {
    if (defaultMaxTokens < 1) throw new IllegalArgumentException("defaultMaxTokens must be positive");
    this.defaultMaxTokens = defaultMaxTokens;
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public Protocol client() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public Protocol upstream() {
    return Protocol.ANTHROPIC_MESSAGES;
  }

  @Override
  public JsonObject request(JsonObject clientRequest, String upstreamModel) {
    return ChatToAnthropicRequest.map(clientRequest, upstreamModel, defaultMaxTokens);
  }

  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel) {
    return AnthropicToChatResponse.map(upstreamResponse, clientModel, clock.instant().getEpochSecond(), ids);
  }

  /** A stream without the usage chunk; see {@link #stream(String, boolean)}. */
  @Override
  public StreamTranslator stream(String clientModel) {
    return stream(clientModel, false);
  }

  /**
   * A fresh state machine for one streamed answer.
   *
   * @param includeUsage the client's {@code stream_options.include_usage}: whether the stream
   *     ends with a usage chunk (and every other chunk carries {@code "usage":null})
   */
  @Override
  public AnthropicToChatStream stream(String clientModel, boolean includeUsage) {
    return new AnthropicToChatStream(clientModel, includeUsage, clock.instant().getEpochSecond(), ids);
  }

  @Override
  public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
    return AnthropicToChatErrors.envelope(upstreamStatus, upstreamError);
  }

  /** Whether a Chat request asked for the usage chunk ({@code stream_options.include_usage}). */
  public static boolean wantsUsage(JsonObject clientRequest) {
    return clientRequest.getValue("stream_options") instanceof JsonObject o
        && Boolean.TRUE.equals(o.getValue("include_usage"));
  }
}
