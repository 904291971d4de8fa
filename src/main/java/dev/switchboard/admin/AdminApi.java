package dev.switchboard.admin;

import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The management API's router: CORS (only when origins are configured), a bounded body, the
 * route table dispatched through one {@link Dispatcher}, the OpenAPI document, and JSON errors
 * for unknown paths and failed requests.
 */
final class AdminApi {

  static final String BASE = "/api/v1";
  static final long MAX_BODY_BYTES = 1024 * 1024;
  static final String OPENAPI_RESOURCE = "admin/openapi.json";

  private static final Buffer OPENAPI = loadOpenApi();

  private AdminApi() {}

  static Router router(Vertx vertx, AdminContext context) {
    Tokens tokens = tokens(vertx, context);
    Dispatcher dispatcher = new Dispatcher(new Authenticator(tokens, context.store.admin()), context.config.trustForwardedFor());

    Router router = Router.router(vertx);
    if (!context.config.corsOrigins().isEmpty()) {
      router.route().handler(CorsHandler.create().addOrigins(context.config.corsOrigins())
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
          .allowedHeaders(Set.of("authorization", "content-type")).maxAgeSeconds(600));
    }
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    List<Endpoint> table = table(vertx, context, tokens);
    for (Endpoint e : table) {
      router.route(e.method(), e.routerPath()).handler(ctx -> dispatcher.handle(ctx, e));
    }
    router.get("/openapi.json").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(OPENAPI));
    List<Pattern> known = table.stream().map(e -> Pattern.compile(e.path().replaceAll("\\{[A-Za-z]+}", "[^/]+"))).toList();
    router.route().handler(ctx -> {
      String path = ctx.request().path();
      String relative = path.startsWith(BASE) ? path.substring(BASE.length()) : path;
      boolean otherMethod = known.stream().anyMatch(p -> p.matcher(relative).matches());
      Dispatcher.fail(ctx, otherMethod
          ? ApiError.of(405, "method_not_allowed", "Method " + ctx.request().method() + " is not allowed here.")
          : ApiError.of(404, "not_found", "No management endpoint " + ctx.request().method() + " " + shorten(path) + "."));
    });
    router.route().failureHandler(ctx -> Dispatcher.fail(ctx, failure(ctx.statusCode(), ctx.failure())));
    return router;
  }

  static Tokens tokens(Vertx vertx, AdminContext context) {
    return new Tokens(vertx, context.config.jwtAlgorithm(), context.keys, context.config.accessTokenTtlMs(),
        context.config.refreshTokenTtlMs());
  }

  /** The route table: every operation with its role. */
  static List<Endpoint> table(Vertx vertx, AdminContext context, Tokens tokens) {
    Store store = context.store;
    Authenticator auth = new Authenticator(tokens, store.admin());
    Audit audit = new Audit(store.admin());
    PoolReload pool = new PoolReload(vertx, context.notices);
    List<Endpoint> all = new ArrayList<>();
    all.addAll(new AuthRoutes(store.admin(), tokens, auth, context.passwords, context.limiter, audit).endpoints());
    all.addAll(new UserRoutes(store.admin(), context.passwords, audit).endpoints());
    all.addAll(new KeyRoutes(store.admin(), audit, pool).endpoints());
    AdminUpstream upstream = new AdminUpstream(vertx, context.gateway());
    all.addAll(new ChannelRoutes(store, audit, pool, new ChannelProbe(upstream), new ModelSync(upstream)).endpoints());
    all.addAll(new CredentialRoutes(store, audit, pool).endpoints());
    all.addAll(new SettingRoutes(store, audit, pool).endpoints());
    all.addAll(new AuditRoutes(store.admin()).endpoints());
    all.addAll(new RoutingRoutes(store, pool).endpoints());
    all.addAll(new PriceRoutes(store, context.prices, audit, pool).endpoints());
    all.addAll(new UsageRoutes(store).endpoints());
    all.addAll(new RequestRoutes(store).endpoints());
    all.addAll(new GroupRoutes(store, audit, pool, context::gateway).endpoints());
    all.addAll(new AliasRoutes(store, audit, pool, context::gateway).endpoints());
    all.addAll(new ConfigRoutes(context::gateway, context.reload, audit).endpoints());
    return all;
  }

  private static Throwable failure(int status, Throwable failure) {
    // a handler before the route table (body limit, CORS) failed with a client error status
    return switch (status) {
      case 413 -> ApiError.of(413, "payload_too_large", "The body is larger than " + MAX_BODY_BYTES + " bytes.");
      case 400 -> ApiError.of(400, "bad_request", "The request is malformed.");
      case 403 -> ApiError.forbidden("This origin or request is not allowed.");
      default -> status > 400 && status < 500 ? ApiError.of(status, "bad_request", "The request was refused.")
          : failure != null ? failure : ApiError.of(500, "internal_error", "The request failed on the server.");
    };
  }

  private static String shorten(String path) {
    return path.length() > 200 ? path.substring(0, 200) + "..." : path;
  }

  private static Buffer loadOpenApi() {
    try (InputStream in = AdminApi.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
