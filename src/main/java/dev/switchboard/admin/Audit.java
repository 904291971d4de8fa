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
    return write(call.actor(), call.remote(), action, target, details == null ? null : details.encode());
  }

  /** For events without an authenticated caller (a login), naming the user tried. */
  Future<Void> record(String actor, String remote, String action, String target) {
    return write(actor, remote, action, target, null);
  }

  /** Cut to the columns' sizes: a failed login may name any user, of any length. */
  private Future<Void> write(String actor, String remote, String action, String target, String details) {
    return store.audit(System.currentTimeMillis(), cut(actor, 191), action, cut(target, 255), cut(remote, 64), details);
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
