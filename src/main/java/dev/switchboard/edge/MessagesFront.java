package dev.switchboard.edge;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.translate.TopLevelRequest;
import dev.switchboard.translate.anthropic.AnthropicErrorTypes;
import dev.switchboard.translate.anthropic.MessagesToChat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Anthropic Messages clients (Claude Code, the Anthropic SDKs): {@code POST /v1/messages}.
 * Errors use Anthropic's envelope, with overload as 529 as its SDKs expect.
 */
final class MessagesFront implements Front {

  private static final Buffer PING = Buffer.buffer("event: ping\ndata: {\"type\": \"ping\"}\n\n");

  @Override
  public Protocol protocol() {
    return Protocol.ANTHROPIC_MESSAGES;
  }

  @Override
  public String route() {
    return "messages";
  }

  @Override
  public RequestParser parser(RoutingContext ctx) {
    return body -> TopLevelRequest.parse(body, "messages");
  }

  @Override
  public void sendError(HttpServerResponse resp, GatewayError e) {
    int status = clientStatus(e.status());
    ErrorResponses.send(resp, status, e.retryAfterMs(), envelope(status, e).toBuffer());
  }

  @Override
  public Buffer streamError(GatewayError e) {
    return Buffer.buffer("event: error\ndata: ").appendBuffer(envelope(clientStatus(e.status()), e).toBuffer())
        .appendString("\n\n");
  }

  /** Anthropic's own keep-alive, which its SDKs expect and skip. */
  @Override
  public Buffer keepAlive() {
    return PING;
  }

  @Override
  public int clientStatus(int upstreamStatus) {
    return MessagesToChat.clientStatus(upstreamStatus);
  }

  static JsonObject envelope(int status, GatewayError e) {
    return new JsonObject().put("type", "error").put("error", new JsonObject()
        .put("type", AnthropicErrorTypes.forStatus(status))
        .put("message", e.getMessage()));
  }
}
