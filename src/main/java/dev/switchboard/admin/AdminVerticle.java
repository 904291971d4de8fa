package dev.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;

/**
 * The management API on a listener of its own ({@code management.port} not 0), for operators
 * who keep it off the public port. Serves {@code /api/v1} and nothing else.
 */
public final class AdminVerticle extends VerticleBase {

  private final AdminContext context;
  private HttpServer server;

  public AdminVerticle(AdminContext context) {
    this.context = context;
  }

  @Override
  public Future<?> start() {
    Router root = Router.router(vertx);
    context.mount(vertx, root);
    root.route().handler(ctx -> Dispatcher.fail(ctx, ApiError.of(404, "not_found", "The management API is under /api/v1.")));
    HttpServerOptions options = new HttpServerOptions().setHost(context.config.host()).setPort(context.config.port());
    return vertx.createHttpServer(options).requestHandler(root).listen().onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS);
  }

  /** The port actually bound. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
