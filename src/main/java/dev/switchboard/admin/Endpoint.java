package dev.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

/**
 * One row of the route table: method, path (OpenAPI style, {@code /keys/{id}}), the least role
 * that may call it ({@code null}: no token needed) and the action.
 */
record Endpoint(HttpMethod method, String path, Role role, Action action) {

  /** The work of one endpoint; it may throw {@link ApiError}. */
  @FunctionalInterface
  interface Action {
    Future<Reply> run(Call call);
  }

  static Endpoint open(HttpMethod method, String path, Action action) {
    return new Endpoint(method, path, null, action);
  }

  static Endpoint of(HttpMethod method, String path, Role role, Action action) {
    return new Endpoint(method, path, role, action);
  }

  /** The path as Vert.x routes it: {@code {id}} becomes {@code :id}. */
  String routerPath() {
    return path.replaceAll("\\{([A-Za-z]+)}", ":$1");
  }
}
