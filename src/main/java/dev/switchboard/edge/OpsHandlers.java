package dev.switchboard.edge;

import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Store;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Liveness, readiness and the model lists in each protocol's shape. */
final class OpsHandlers {

  private static final String EPOCH = "1970-01-01T00:00:00Z";
  private static final JsonArray GEMINI_METHODS = new JsonArray(List.of("generateContent", "streamGenerateContent", "countTokens"));

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

  /**
   * {@code GET /v1/models}: the models the calling key may use, in OpenAI's list shape, or in
   * Anthropic's when the request carries {@code anthropic-version} (the Anthropic SDKs do).
   */
  void models(RoutingContext ctx) {
    boolean anthropic = ctx.request().getHeader("anthropic-version") != null;
    Front front = anthropic ? new MessagesFront() : new ChatFront();
    List<String> models = allowed(ctx, front);
    if (models == null) return;
    JsonArray data = new JsonArray();
    for (String model : models) {
      data.add(anthropic
          ? new JsonObject().put("type", "model").put("id", model).put("display_name", model).put("created_at", EPOCH)
          : new JsonObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", "switchboard"));
    }
    JsonObject body = anthropic
        ? new JsonObject().put("data", data).put("has_more", false)
            .put("first_id", models.isEmpty() ? null : models.get(0))
            .put("last_id", models.isEmpty() ? null : models.get(models.size() - 1))
        : new JsonObject().put("object", "list").put("data", data);
    json(ctx, 200, body);
  }

  /** {@code GET /v1beta/models}: the same list in Gemini's shape. */
  void geminiModels(RoutingContext ctx) {
    List<String> models = allowed(ctx, new GeminiFront());
    if (models == null) return;
    JsonArray list = new JsonArray();
    models.forEach(m -> list.add(geminiModel(m)));
    json(ctx, 200, new JsonObject().put("models", list));
  }

  /** {@code GET /v1beta/models/{model}}. */
  void geminiModel(RoutingContext ctx) {
    GeminiFront front = new GeminiFront();
    List<String> models = allowed(ctx, front);
    if (models == null) return;
    String model = GeminiFront.model(ctx);
    if (!models.contains(model)) {
      front.sendError(ctx.response(), GatewayError.modelNotFound(model));
      return;
    }
    json(ctx, 200, geminiModel(model));
  }

  private static JsonObject geminiModel(String model) {
    return new JsonObject().put("name", "models/" + model).put("displayName", model)
        .put("supportedGenerationMethods", GEMINI_METHODS.copy());
  }

  /** The models the calling key may use, or null after answering 401 in the front's envelope. */
  private List<String> allowed(RoutingContext ctx, Front front) {
    PoolSnapshot pool = snapshot.get();
    ClientKey clientKey;
    try {
      clientKey = ClientAuth.clientKey(ctx.request(), pool);
    } catch (GatewayError e) {
      front.sendError(ctx.response(), e);
      return null;
    }
    return pool.models().stream().filter(m -> pool.allows(clientKey, m)).toList();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
