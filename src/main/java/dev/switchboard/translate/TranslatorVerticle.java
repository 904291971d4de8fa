package dev.switchboard.translate;

import dev.switchboard.bus.Addresses;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.translate.openai.ChatCompletionsRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Worker verticle for whole-body work too heavy for an event loop: large request bodies are
 * scanned here. Replies with the parsed request, or fails with status 400 and a message that
 * is safe for the client.
 */
public final class TranslatorVerticle extends VerticleBase {

  /** Bodies above this size are parsed here rather than on the edge's event loop. */
  public static final int OFFLOAD_BYTES = 256 * 1024;

  @Override
  public Future<?> start() {
    vertx.eventBus().<ParseJob>localConsumer(Addresses.TRANSLATE_REQUEST, msg -> {
      try {
        msg.reply(ChatCompletionsRequest.parse(msg.body().body()));
      } catch (MalformedJsonException e) {
        msg.fail(400, e.getMessage());
      }
    });
    return Future.succeededFuture();
  }
}
