package dev.switchboard.admin;

import dev.switchboard.store.AdminStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Records every change: who, what, on which resource, from which address, when. Never secrets. */
final class Audit {

  private final AdminStore store;

  Audit(AdminStore store) {
    this.store = store;
  }

  Future<Void> record(Call call, String action, String target, JsonObject details) {
    return store.audit(System.currentTimeMillis(), call.actor(), action, target, call.remote(),
        details == null ? null : details.encode());
  }

  /** For events without an authenticated caller (a login), naming the user tried. */
  Future<Void> record(String actor, String remote, String action, String target) {
    return store.audit(System.currentTimeMillis(), actor, action, target, remote, null);
  }
}
