package dev.switchboard.edge;

import dev.switchboard.translate.PathModelRequest;
import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.RequestParser;
import dev.switchboard.translate.gemini.GeminiToChat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Gemini clients (the Google Gen AI SDKs, gemini-cli):
 * {@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent}, with
 * {@code alt=sse} for SSE and without it for one streamed JSON array. Errors use Google's
 * status envelope.
 */
final class GeminiFront implements Front {

  /** The route's regular expression: group 1 is the model, group 2 the method. */
  static final String PATH = "/v1beta/models/([^:]+):(generateContent|streamGenerateContent)";

  @Override
  public Protocol protocol() {
    return Protocol.GEMINI;
  }

  @Override
  public String route() {
    return "gemini_generate";
  }

  @Override
  public RequestParser parser(RoutingContext ctx) {
    String model = model(ctx);
    boolean stream = "streamGenerateContent".equals(ctx.pathParam("param1"));
    return body -> PathModelRequest.parse(body, model, stream);
  }

  static String model(RoutingContext ctx) {
    String raw = ctx.pathParam("param0");
    String model = raw == null ? "" : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    return model.startsWith("models/") ? model.substring(7) : model;
  }

  @Override
  public boolean jsonArrayStream(RoutingContext ctx) {
    return !"sse".equals(ctx.request().getParam("alt"));
  }

  @Override
  public void sendError(HttpServerResponse resp, GatewayError e) {
    ErrorResponses.send(resp, e.status(), e.retryAfterMs(), envelope(e).toBuffer());
  }

  @Override
  public Buffer streamError(GatewayError e) {
    return Buffer.buffer("data: ").appendBuffer(envelope(e).toBuffer()).appendString("\n\n");
  }

  static JsonObject envelope(GatewayError e) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", e.status())
        .put("message", e.getMessage())
        .put("status", GeminiToChat.rpcStatus(e.status())));
  }

}
