package dev.switchboard.translate.gemini;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Gemini clients ({@code generateContent} / {@code streamGenerateContent}) in front of an OpenAI
 * Chat Completions upstream: requests per {@code translation-matrix.md} §4.1, answers per §4.2,
 * streams per §4.3. A Gemini request names its model and its streaming mode in the URL, so the
 * edge passes both in: the model as {@code upstreamModel}, the mode through
 * {@link #request(JsonObject, String, boolean)}. Stateless.
 */
public final class GeminiToChat implements Translation {

  /**
   * Upstream dialect knobs.
   *
   * @param legacyMaxTokens send {@code max_tokens} instead of {@code max_completion_tokens}, for
   *     OpenAI-compatible upstreams that only know the old name (pitfall P17)
   * @param reasoningEffort send a thinking budget or level as {@code reasoning_effort}; off for
   *     models that reject the field
   */
  public record Options(boolean legacyMaxTokens, boolean reasoningEffort) {

    /** OpenAI proper: {@code max_completion_tokens}, effort sent. */
    public static final Options DEFAULT = new Options(false, true);
  }

  private final Options options;
  private final Supplier<String> ids;

  public GeminiToChat() {
    this(Options.DEFAULT, () -> "resp-" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** {@code ids} mints a response id for the rare upstream answer that has none. */
  public GeminiToChat(Options options, Supplier<String> ids) {
    this.options = options;
    this.ids = ids;
  }

  @Override
  public Protocol client() {
    return Protocol.GEMINI;
  }

  @Override
  public Protocol upstream() {
    return Protocol.OPENAI_CHAT;
  }

  /** The Chat request for a {@code generateContent} call (not streamed). */
  @Override
  public JsonObject request(JsonObject clientRequest, String upstreamModel) {
    return request(clientRequest, upstreamModel, false);
  }

  /**
   * The Chat request; for {@code streamGenerateContent} ({@code stream} true) it streams and asks
   * for usage, which the Gemini client is owed in its last event.
   */
  public JsonObject request(JsonObject clientRequest, String upstreamModel, boolean stream) {
    return GeminiToChatRequest.map(clientRequest, upstreamModel, options, stream);
  }

  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel) {
    return GeminiToChatResponse.map(upstreamResponse, clientModel, ids.get());
  }

  @Override
  public StreamTranslator stream(String clientModel) {
    return new GeminiToChatStream(clientModel, ids.get());
  }

  @Override
  public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
    return GeminiToChatErrors.body(upstreamStatus, upstreamError);
  }

  /** The status a Gemini client should see for an upstream status (529 becomes 503). */
  /** The google.rpc status name a Gemini client expects with an HTTP status. */
  public static String rpcStatus(int httpStatus) {
    return GeminiTables.rpcStatus(httpStatus);
  }

  public static int clientStatus(int upstreamStatus) {
    return GeminiToChatErrors.clientStatus(upstreamStatus);
  }
}
