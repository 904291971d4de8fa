package dev.switchboard.translate.anthropic;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Anthropic Messages clients (Claude Code) in front of an OpenAI Chat Completions upstream:
 * requests per {@code translation-matrix.md} §2.1, answers per §2.2, streams per §2.3.
 * Stateless; ids of answers come from the upstream's ids, so the same answer always maps to
 * the same message.
 */
public final class MessagesToChat implements Translation {

  /**
   * Upstream dialect knobs.
   *
   * @param legacyMaxTokens send {@code max_tokens} instead of {@code max_completion_tokens}, for
   *     OpenAI-compatible upstreams that only know the old name (pitfall P17)
   * @param replayReasoning send earlier thinking back as {@code reasoning_content}, for upstreams
   *     that want it (DeepSeek-style tool loops); otherwise thinking in history is dropped
   * @param bufferToolCalls hold every tool call until {@code finish_reason} instead of streaming
   *     its arguments as they arrive, for upstreams that interleave parallel calls
   * @param reasoningEffort send a thinking budget as {@code reasoning_effort}; off for models that
   *     reject the field (OpenAI answers 400 for non-reasoning models)
   */
  public record Options(boolean legacyMaxTokens, boolean replayReasoning, boolean bufferToolCalls,
      boolean reasoningEffort) {

    /** OpenAI proper: {@code max_completion_tokens}, thinking dropped, arguments streamed, effort sent. */
    public static final Options DEFAULT = new Options(false, false, false, true);
  }

  private final Options options;
  private final Supplier<String> ids;

  public MessagesToChat() {
    this(Options.DEFAULT, () -> "msg_" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** {@code ids} mints a message id for the rare upstream answer that has none. */
  public MessagesToChat(Options options, Supplier<String> ids) {
    this.options = options;
    this.ids = ids;
  }

  @Override
  public Protocol client() {
    return Protocol.ANTHROPIC_MESSAGES;
  }

  @Override
  public Protocol upstream() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public JsonObject request(JsonObject clientRequest, String upstreamModel) {
    return MessagesToChatRequest.map(clientRequest, upstreamModel, options);
  }

  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel) {
    return ChatToMessagesResponse.map(upstreamResponse, clientModel, ids.get());
  }

  @Override
  public StreamTranslator stream(String clientModel) {
    return new ChatToMessagesStream(clientModel, ids.get(), options.bufferToolCalls());
  }

  @Override
  public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
    return ChatToMessagesErrors.body(upstreamStatus, upstreamError);
  }

  /**
   * The status an Anthropic client should see for an upstream status: the overload family
   * becomes Anthropic's 529 ({@code cross-protocol.md} §10), everything else is kept.
   */
  public static int clientStatus(int upstreamStatus) {
    return upstreamStatus == 503 ? 529 : upstreamStatus;
  }
}
