package dev.switchboard.translate.gemini;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * OpenAI Chat Completions clients served by a Gemini upstream ({@code translation-matrix.md} §3).
 * Stateless; the clock and the id source are injected so that answers are reproducible in tests.
 * The Gemini model and the streaming mode go in the URL ({@link #path}), not in the body.
 */
public final class ChatToGemini implements Translation {

  private final Clock clock;
  private final Supplier<String> ids;

  public ChatToGemini() {
    this(Clock.systemUTC(), () -> "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** @param ids completion ids for answers whose upstream response carries no {@code responseId} */
  public ChatToGemini(Clock clock, Supplier<String> ids) {
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public Protocol client() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public Protocol upstream() {
    return Protocol.GEMINI;
  }

  /** The Gemini request body; {@code upstreamModel} goes in the URL (see {@link #path}) and decides what the model accepts. */
  @Override
  public JsonObject request(JsonObject clientRequest, String upstreamModel) {
    return ChatToGeminiRequest.map(clientRequest, upstreamModel);
  }

  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel) {
    return ChatToGeminiResponse.map(upstreamResponse, clientModel, clock.instant().getEpochSecond(), ids);
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
  public ChatToGeminiStream stream(String clientModel, boolean includeUsage) {
    return new ChatToGeminiStream(clientModel, includeUsage, clock.instant().getEpochSecond(), ids);
  }

  @Override
  public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
    return ChatToGeminiErrors.envelope(upstreamStatus, upstreamError);
  }

  /**
   * The status a Chat client should see: Gemini's invalid-key 400 becomes 401 (P27), 529
   * becomes 503; everything else is kept.
   */
  public static int clientStatus(int upstreamStatus, JsonObject upstreamError) {
    return ChatToGeminiErrors.clientStatus(upstreamStatus, upstreamError);
  }

  /** The upstream path for a model and mode; see {@link GeminiPath#of}. */
  public static String path(String upstreamModel, boolean stream) {
    return GeminiPath.of(upstreamModel, stream);
  }

  /**
   * The retry delay a Gemini error suggests ({@code google.rpc.RetryInfo.retryDelay}, e.g.
   * {@code "22s"}), in whole seconds rounded up, or -1 when it suggests none. Gemini 429s usually
   * carry no {@code Retry-After} header, so this is where the client's hint comes from (P26).
   */
  public static long retryAfterSeconds(JsonObject upstreamError) {
    return ChatToGeminiErrors.retryAfterSeconds(upstreamError);
  }
}
