package dev.switchboard.translate.responses;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * OpenAI Chat Completions clients served by an OpenAI Responses upstream (channels of type
 * openai-responses, for models only served on {@code /v1/responses}): {@code translation-matrix.md}
 * §7.4. Every upstream request is {@code store:false}. Chat is also the pivot between other
 * protocols, so answers keep the {@code reasoning_content} extension the Anthropic directions use.
 */
public final class ChatToResponses implements Translation {

  /**
   * Upstream dialect knobs.
   *
   * @param reasoningSummary {@code reasoning.summary} to ask for with a {@code reasoning_effort}
   *     ({@code auto}, {@code concise}, {@code detailed}), so that the upstream's reasoning reaches the
   *     client as {@code reasoning_content}; null asks for none (OpenAI refuses summaries to
   *     organisations it has not verified)
   */
  public record Options(String reasoningSummary) {

    public static final Options DEFAULT = new Options(null);
  }

  private final Options options;
  private final Clock clock;
  private final Supplier<String> ids;

  public ChatToResponses() {
    this(Options.DEFAULT, Clock.systemUTC(), () -> UUID.randomUUID().toString().replace("-", ""));
  }

  /** {@code ids} mints the id of an answer whose upstream response has none. */
  public ChatToResponses(Options options, Clock clock, Supplier<String> ids) {
    this.options = options;
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public Protocol client() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public Protocol upstream() {
    return Protocol.OPENAI_RESPONSES;
  }

  @Override
  public JsonObject request(JsonObject clientRequest, String upstreamModel) {
    return ChatToResponsesRequest.map(clientRequest, upstreamModel, options.reasoningSummary());
  }

  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel) {
    return ChatToResponsesAnswer.map(upstreamResponse, clientModel, clock.instant().getEpochSecond(), ids.get());
  }

  /** A stream without the usage chunk; see {@link #stream(String, boolean)}. */
  @Override
  public StreamTranslator stream(String clientModel) {
    return stream(clientModel, false);
  }

  /** @param includeUsage the client's {@code stream_options.include_usage} */
  @Override
  public StreamTranslator stream(String clientModel, boolean includeUsage) {
    return new ChatToResponsesStream(clientModel, includeUsage, clock.instant().getEpochSecond(), ids.get());
  }

  @Override
  public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
    return OpenAiErrors.envelope(upstreamStatus, upstreamError);
  }
}
