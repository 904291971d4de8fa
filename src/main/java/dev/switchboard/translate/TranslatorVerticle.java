package dev.switchboard.translate;

import dev.switchboard.bus.Addresses;
import dev.switchboard.json.MalformedJsonException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;

/**
 * Worker verticle for whole-body work too heavy for an event loop: large request bodies are
 * parsed and translated here. Replies with the task's result, or fails with status 400 and a
 * message that is safe for the client.
 */
public final class TranslatorVerticle extends VerticleBase {

  /** Bodies above this size are parsed and translated here rather than on the edge's event loop. */
  public static final int OFFLOAD_BYTES = 256 * 1024;

  @Override
  public Future<?> start() {
    vertx.eventBus().<WorkerJob>localConsumer(Addresses.TRANSLATE_REQUEST, msg -> {
      try {
        msg.reply(new WorkerJob.Result(msg.body().task().run()));
      } catch (MalformedJsonException | TranslationException e) {
        msg.fail(400, e.getMessage());
      } catch (DecodeException e) {
        msg.fail(400, "the request body is not valid JSON");
      } catch (Exception e) {
        msg.fail(500, e.getClass().getSimpleName());
      }
    });
    return Future.succeededFuture();
  }
}
