package dev.switchboard.edge;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.translate.TopLevelRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * OpenAI Responses clients (Codex, {@code client.responses()}): {@code POST /v1/responses}.
 * Errors use OpenAI's envelope; in a stream they are an {@code error} event.
 */
final class ResponsesFront implements Front {

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI_RESPONSES;
  }

  @Override
  public String route() {
    return "responses";
  }

  @Override
  public RequestParser parser(RoutingContext ctx) {
    return body -> TopLevelRequest.parse(body, null);
  }

  @Override
  public void sendError(HttpServerResponse resp, GatewayError e) {
    OpenAiErrors.send(resp, e);
  }

  @Override
  public int clientStatus(int upstreamStatus) {
    return OpenAiErrors.clientStatus(upstreamStatus);
  }

  @Override
  public Buffer streamError(GatewayError e) {
    JsonObject event = new JsonObject().put("type", "error").put("code", e.code()).put("message", e.getMessage())
        .putNull("param");
    return Buffer.buffer("event: error\ndata: ").appendBuffer(event.toBuffer()).appendString("\n\n");
  }
}
