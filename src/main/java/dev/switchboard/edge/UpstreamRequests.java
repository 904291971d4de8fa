package dev.switchboard.edge;

import dev.switchboard.translate.ParsedRequest;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.Translation;
import dev.switchboard.translate.TranslatorVerticle;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** How a client request becomes an upstream request: which protocol and operation, and the translated body. */
final class UpstreamRequests {

  private UpstreamRequests() {}

  /** The protocol an upstream speaks for an operation: OpenAI's embeddings are one API for both OpenAI types. */
  static Protocol protocolFor(UpstreamType type, UpstreamType.Operation op) {
    boolean embed = op == UpstreamType.Operation.EMBED || op == UpstreamType.Operation.BATCH_EMBED;
    return embed && type.protocol() == Protocol.OPENAI_RESPONSES ? Protocol.OPENAI_CHAT : type.protocol();
  }

  /**
   * The upstream's operation: the client's own when passed through; a translated embedding
   * request goes to Gemini's batch form (one shape for one or many inputs) or to OpenAI's.
   */
  static UpstreamType.Operation upstreamOperation(UpstreamType.Operation asked, UpstreamType type, Translation translation) {
    if (translation == null || asked == UpstreamType.Operation.GENERATE || asked == UpstreamType.Operation.COUNT_TOKENS) {
      return asked;
    }
    return type == UpstreamType.GEMINI ? UpstreamType.Operation.BATCH_EMBED : UpstreamType.Operation.EMBED;
  }

  static JsonObject translate(JsonObject client, ParsedRequest parsed, Translation translation, UpstreamType type,
      UpstreamType.Operation operation, String upstreamModel) {
    // translations must not change the client's tree: a retry on another upstream translates it again
    JsonObject out = translation.request(client.copy(), upstreamModel);
    if (type == UpstreamType.GEMINI || operation != UpstreamType.Operation.GENERATE) {
      out.remove("stream"); // Gemini streams by URL, not by body; embeddings never stream
    } else if (parsed.stream()) {
      out.put("stream", true);
      if (type.protocol() == Protocol.OPENAI_CHAT) {
        JsonObject options = out.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
        out.put("stream_options", options.put("include_usage", true));
      }
    }
    return out;
  }

  /**
   * The body as a tree for the session key, when the headers name no session: affinity then
   * hashes the conversation's start. Bodies over the offload size keep to the headers.
   */
  static JsonObject sessionBody(ParsedRequest request) {
    if (request.body().length() > TranslatorVerticle.OFFLOAD_BYTES) return null;
    try {
      return new JsonObject(request.body());
    } catch (DecodeException e) {
      return null;
    }
  }
}
