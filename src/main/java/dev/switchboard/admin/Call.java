package dev.switchboard.admin;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** One management request as an action sees it: the caller, the path parameters, the query and the JSON body. */
final class Call {

  final RoutingContext ctx;
  final Principal principal;
  private final boolean trustForwardedFor;

  Call(RoutingContext ctx, Principal principal, boolean trustForwardedFor) {
    this.ctx = ctx;
    this.principal = principal;
    this.trustForwardedFor = trustForwardedFor;
  }

  /** The numeric {@code {id}} of the path; anything else names no resource. */
  long id(String what) {
    String raw = ctx.pathParam("id");
    try {
      long id = Long.parseLong(raw);
      if (id > 0) return id;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ApiError.notFound(what);
  }

  String pathParam(String name) {
    return ctx.pathParam(name);
  }

  String query(String name) {
    return ctx.queryParams().get(name);
  }

  /** The request body as a JSON object; anything else is a 400. */
  JsonObject body() {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.of(400, "invalid_json", "A JSON object body is required.");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ApiError.of(400, "invalid_json", "The body is not valid JSON.");
    }
    if (!(parsed instanceof JsonObject o)) {
      throw ApiError.of(400, "invalid_json", "The body must be a JSON object.");
    }
    return o;
  }

  /**
   * The client address, for the audit log and login limits: behind a trusted reverse proxy the
   * last {@code X-Forwarded-For} entry (the one the proxy added; earlier ones the client can forge).
   */
  String remote() {
    String forwarded = trustForwardedFor ? ctx.request().getHeader("x-forwarded-for") : null;
    if (forwarded != null) {
      String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
      if (!last.isEmpty()) return last.length() > 64 ? last.substring(0, 64) : last;
    }
    var address = ctx.request().remoteAddress();
    return address == null ? "unknown" : address.hostAddress();
  }

  /** The caller's username, for the audit log. */
  String actor() {
    return principal == null ? "anonymous" : principal.username();
  }
}
