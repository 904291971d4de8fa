package dev.switchboard.edge;

import dev.switchboard.stats.Usage;
import dev.switchboard.translate.RequestTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The usage of an answer whose upstream reported none, marked estimated: input tokens from the
 * client's request, output tokens from a whole answer's text, or for a stream one token per
 * upstream event (OpenAI-compatible upstreams send about one token per chunk; collecting a
 * stream's text would cost every stream). Tokenizing is CPU work, so it runs on a worker.
 */
final class UsageEstimate {

  private UsageEstimate() {}

  static Future<Usage> of(Vertx vertx, Call call) {
    String model = call.lease.upstreamModel() != null ? call.lease.upstreamModel() : call.model;
    JsonObject known = call.clientJson;
    var request = call.request;
    var answer = call.unmeteredAnswer;
    long streamed = call.stream ? call.upstreamEvents : 0;
    return vertx.executeBlocking(() -> {
      long input = RequestTokens.estimate(model, known != null ? known : new JsonObject(request.body()));
      long output = answer != null ? RequestTokens.estimate(model, new JsonObject(answer)) : streamed;
      return new Usage(input, output, 0, 0, 0, 0, true);
    }, false);
  }
}
