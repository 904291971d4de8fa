package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.GET;

import dev.switchboard.store.AdminStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The audit log, newest first, paged in the database; filter with {@code ?actor} and {@code ?action}. */
final class AuditRoutes {

  private final AdminStore store;

  AuditRoutes(AdminStore store) {
    this.store = store;
  }

  List<Endpoint> endpoints() {
    return List.of(Endpoint.of(GET, "/audit", Role.ADMIN, this::list));
  }

  private Future<Reply> list(Call call) {
    Paging paging = Paging.of(call);
    return store.auditLog(paging.limit, paging.offset, call.query("actor"), call.query("action")).map(page -> {
      JsonArray items = new JsonArray();
      page.items().forEach(e -> items.add(new JsonObject().put("id", e.id()).put("at", Instant.ofEpochMilli(e.ts()).toString())
          .put("actor", e.actor()).put("action", e.action()).put("target", e.target()).put("remote", e.remote())
          .put("details", e.details() == null ? null : new JsonObject(e.details()))));
      return Reply.ok(paging.wrap(items, page.total()));
    });
  }
}
