package dev.switchboard.edge;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.translate.TopLevelRequest;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** OpenAI embeddings clients: {@code POST /v1/embeddings}. */
final class EmbeddingsFront implements Front {

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public String route() {
    return "embeddings";
  }

  @Override
  public RequestParser parser(RoutingContext ctx) {
    return body -> TopLevelRequest.parse(body, "input", Set.of("encoding_format"));
  }

  @Override
  public UpstreamType.Operation operation(RoutingContext ctx) {
    return UpstreamType.Operation.EMBED;
  }

  @Override
  public void sendError(HttpServerResponse resp, GatewayError e) {
    OpenAiErrors.send(resp, e);
  }

  @Override
  public Buffer streamError(GatewayError e) {
    return OpenAiErrors.sseEvent(e);
  }
}
