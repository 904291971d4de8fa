package dev.switchboard.edge;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.translate.openai.ChatCompletionsRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** OpenAI Chat Completions clients: {@code POST /v1/chat/completions}. */
final class ChatFront implements Front {

  @Override
  public Protocol protocol() {
    return Protocol.OPENAI_CHAT;
  }

  @Override
  public String route() {
    return "chat_completions";
  }

  @Override
  public RequestParser parser(RoutingContext ctx) {
    return ChatCompletionsRequest::parse;
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
    return OpenAiErrors.sseEvent(e);
  }
}
