package dev.switchboard.translate;

import io.vertx.core.json.JsonObject;

/**
 * One translation direction: requests from {@link #client()} protocol to {@link #upstream()}
 * protocol, and answers back. Stateless and thread-safe; per-stream state lives in the
 * {@link StreamTranslator} it creates. Bodies are whole JSON trees here: translation needs
 * them (pass-through between equal protocols never comes this way).
 */
public interface Translation {

  Protocol client();

  Protocol upstream();

  /**
   * The upstream request for a client request, with {@code upstreamModel} as the model.
   *
   * @throws TranslationException when the request cannot be expressed upstream
   */
  JsonObject request(JsonObject clientRequest, String upstreamModel);

  /** A whole (non-streamed) upstream answer in the client's protocol, naming {@code clientModel}. */
  JsonObject response(JsonObject upstreamResponse, String clientModel);

  /**
   * As {@link #response(JsonObject, String)}, with the client's own request at hand, for
   * directions whose answer echoes it or restores what the client declared (Responses clients'
   * custom tools). The default ignores it.
   */
  default JsonObject response(JsonObject upstreamResponse, String clientModel, JsonObject clientRequest) {
    return response(upstreamResponse, clientModel);
  }

  /** A fresh state machine for one streamed answer. */
  StreamTranslator stream(String clientModel);

  /**
   * As {@link #stream(String)}, saying whether the client asked for usage in its stream (an
   * OpenAI client's {@code stream_options.include_usage}); directions whose client protocol
   * always carries usage ignore it.
   */
  default StreamTranslator stream(String clientModel, boolean includeUsage) {
    return stream(clientModel);
  }

  /** As {@link #stream(String, boolean)}, with the client's own request at hand (see the response). */
  default StreamTranslator stream(String clientModel, boolean includeUsage, JsonObject clientRequest) {
    return stream(clientModel, includeUsage);
  }

  /**
   * An upstream error body (already parsed, possibly empty) in the client's error envelope.
   * The status the client sees is mapped separately ({@code cross-protocol.md} §10).
   */
  JsonObject error(int upstreamStatus, JsonObject upstreamError);
}
