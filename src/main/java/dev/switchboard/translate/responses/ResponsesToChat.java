package dev.switchboard.translate.responses;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * OpenAI Responses clients (Codex CLI, {@code client.responses()}) in front of an OpenAI Chat
 * Completions upstream: requests per {@code translation-matrix.md} §7.1, answers per §7.2,
 * streams per §7.3. Stateless: {@code previous_response_id} and stored items are refused. The
 * clock and the id source are injected so that answers are reproducible in tests.
 */
public final class ResponsesToChat implements Translation {

  /**
   * Upstream dialect knobs.
   *
   * @param legacyMaxTokens send {@code max_tokens} instead of {@code max_completion_tokens} (P17)
   * @param replayReasoning send reasoning summaries from the history back as {@code reasoning_content},
   *     for upstreams that want it (DeepSeek-style); otherwise reasoning items are dropped
   */
  public record Options(boolean legacyMaxTokens, boolean replayReasoning) {

    public static final Options DEFAULT = new Options(false, false);
  }

  private final Options options;
  private final Clock clock;
  private final Supplier<String> ids;

  public ResponsesToChat() {
    this(Options.DEFAULT, Clock.systemUTC(), () -> UUID.randomUUID().toString().replace("-", ""));
  }

  /** {@code ids} mints the id of an answer whose upstream completion has none. */
  public ResponsesToChat(Options options, Clock clock, Supplier<String> ids) {
    this.options = options;
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public Protocol client() {
    return Protocol.OPENAI_RESPONSES;
  }

  @Override
  public Protocol upstream() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public JsonObject request(JsonObject clientRequest, String upstreamModel) {
    return ResponsesToChatRequest.map(clientRequest, upstreamModel, options);
  }

  /** An answer without its request: calls to custom or namespaced tools come back as plain function calls. */
  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel) {
    return response(upstreamResponse, clientModel, null);
  }

  /**
   * The answer to {@code clientRequest}: calls to its custom tools come back as custom_tool_call
   * items and calls to the functions of its namespace tools with their namespace, as declared, and
   * the response echoes the request's parameters (instructions, tools, tool_choice, ...).
   */
  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel, JsonObject clientRequest) {
    JsonObject response = ResponsesToChatAnswer.map(upstreamResponse, clientModel, clock.instant().getEpochSecond(), ids.get(),
        ResponsesToolNames.of(clientRequest));
    ResponsesObjects.echo(response, clientRequest);
    return response;
  }

  /** A stream without its request: calls to custom or namespaced tools come back as plain function calls. */
  @Override
  public StreamTranslator stream(String clientModel) {
    return stream(clientModel, (JsonObject) null);
  }

  @Override
  public StreamTranslator stream(String clientModel, boolean includeUsage, JsonObject clientRequest) {
    return stream(clientModel, clientRequest);
  }

  /** The stream answering {@code clientRequest}; see {@link #response(JsonObject, String, JsonObject)}. */
  public StreamTranslator stream(String clientModel, JsonObject clientRequest) {
    return new ResponsesToChatStream(clientModel, clock.instant().getEpochSecond(), ids.get(), clientRequest);
  }

  @Override
  public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
    return OpenAiErrors.envelope(upstreamStatus, upstreamError);
  }

  /** The status a Responses client should see for an upstream status (529 is not an OpenAI status). */
  public static int clientStatus(int upstreamStatus) {
    return OpenAiErrors.clientStatus(upstreamStatus);
  }
}
