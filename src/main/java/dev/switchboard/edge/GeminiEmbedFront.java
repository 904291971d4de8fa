package dev.switchboard.edge;

import dev.switchboard.translate.PathModelRequest;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Gemini embeddings clients: {@code POST /v1beta/models/{model}:embedContent} and {@code :batchEmbedContents}. */
final class GeminiEmbedFront implements Front {

  static final String PATH = "/v1beta/models/([^:]+):(embedContent|batchEmbedContents)";

  private final GeminiFront gemini = new GeminiFront();

  @Override
  public Protocol protocol() {
    return Protocol.GEMINI;
  }

  @Override
  public String route() {
    return "gemini_embed";
  }

  @Override
  public RequestParser parser(RoutingContext ctx) {
    String model = GeminiFront.model(ctx);
    return body -> PathModelRequest.parse(body, model, false);
  }

  @Override
  public UpstreamType.Operation operation(RoutingContext ctx) {
    return "batchEmbedContents".equals(ctx.pathParam("param1")) ? UpstreamType.Operation.BATCH_EMBED : UpstreamType.Operation.EMBED;
  }

  @Override
  public void sendError(HttpServerResponse resp, GatewayError e) {
    gemini.sendError(resp, e);
  }

  @Override
  public Buffer streamError(GatewayError e) {
    return gemini.streamError(e);
  }
}
