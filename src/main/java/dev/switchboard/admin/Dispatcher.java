package dev.switchboard.admin;

import dev.switchboard.store.StoreConflict;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that authorizes and answers every management call: token check and role check
 * from the route table, then the action, then failures turned into status codes. No endpoint
 * checks roles itself.
 */
final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  private final Authenticator auth;
  private final boolean trustForwardedFor;

  Dispatcher(Authenticator auth, boolean trustForwardedFor) {
    this.auth = auth;
    this.trustForwardedFor = trustForwardedFor;
  }

  void handle(RoutingContext ctx, Endpoint endpoint) {
    Future<Principal> caller = endpoint.role() == null
        ? Future.succeededFuture(null)
        : auth.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).compose(p -> p.role().includes(endpoint.role())
            ? Future.succeededFuture(p)
            : Future.failedFuture(ApiError.forbidden("This needs the " + endpoint.role().wire() + " role.")));
    caller.compose(p -> endpoint.action().run(new Call(ctx, p, trustForwardedFor)))
        .onSuccess(reply -> send(ctx.response(), reply.status(), reply.body()))
        .onFailure(err -> fail(ctx, err));
  }

  static void fail(RoutingContext ctx, Throwable err) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    ApiError error;
    if (err instanceof ApiError e) {
      error = e;
    } else if (err instanceof StoreConflict c) {
      error = ApiError.conflict(c.field(), c.getMessage());
    } else {
      LOG.error("management call {} {} failed: {}", ctx.request().method(), ctx.request().path(), err.toString());
      error = ApiError.of(500, "internal_error", "The request failed on the server.");
    }
    if (error.status == 401) response.putHeader("www-authenticate", "Bearer");
    if (error.retryAfterSeconds > 0) response.putHeader("retry-after", Long.toString(error.retryAfterSeconds));
    send(response, error.status, error.body());
  }

  static void send(HttpServerResponse response, int status, Object body) {
    response.setStatusCode(status).putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (body == null) {
      response.end();
      return;
    }
    String text = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode() : body.toString();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(text);
  }
}
