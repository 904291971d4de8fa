package dev.switchboard.edge;

import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Store;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Liveness, readiness and the model list. */
final class OpsHandlers {

  private final Store store;
  private final Supplier<PoolSnapshot> snapshot;

  OpsHandlers(Store store, Supplier<PoolSnapshot> snapshot) {
    this.store = store;
    this.snapshot = snapshot;
  }

  void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "ok"));
  }

  /** Ready when the database answers and the pool has been loaded. */
  void ready(RoutingContext ctx) {
    PoolSnapshot pool = snapshot.get();
    store.ping().timeout(2, TimeUnit.SECONDS).onComplete(ar -> {
      boolean db = ar.succeeded();
      boolean loaded = pool.version() > 0;
      json(ctx, db && loaded ? 200 : 503, new JsonObject()
          .put("status", db && loaded ? "ready" : "not_ready")
          .put("database", db ? "ok" : "unreachable")
          .put("pool", loaded ? "loaded" : "loading")
          .put("models", pool.models().size()));
    });
  }

  /** {@code GET /v1/models}: the models the calling key may use, in OpenAI's list shape. */
  void models(RoutingContext ctx) {
    PoolSnapshot pool = snapshot.get();
    String key = ClientAuth.presentedKey(ctx.request());
    ClientKey clientKey = key == null ? null : pool.keyByHash(ClientAuth.sha256Hex(key));
    if (clientKey == null) {
      OpenAiErrors.send(ctx.response(), GatewayError.unauthorized(key == null
          ? "Missing API key. Send it as 'Authorization: Bearer <key>'." : "Invalid API key."));
      return;
    }
    JsonArray data = new JsonArray();
    for (String model : pool.models()) {
      if (clientKey.allows(model)) {
        data.add(new JsonObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", "switchboard"));
      }
    }
    json(ctx, 200, new JsonObject().put("object", "list").put("data", data));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
