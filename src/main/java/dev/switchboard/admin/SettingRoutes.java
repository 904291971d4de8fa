package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PUT;

import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Key/value settings. Names under {@code internal.} hold the gateway's own state (the JWT
 * signing secret, encrypted) and are neither listed nor writable here.
 */
final class SettingRoutes {

  static final String INTERNAL = "internal.";

  private final Store store;
  private final Audit audit;
  private final PoolReload pool;

  SettingRoutes(Store store, Audit audit, PoolReload pool) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/settings", Role.VIEWER, this::list),
        Endpoint.of(GET, "/settings/{name}", Role.VIEWER, this::get),
        Endpoint.of(PUT, "/settings/{name}", Role.ADMIN, this::put),
        Endpoint.of(DELETE, "/settings/{name}", Role.ADMIN, this::delete));
  }

  private static String name(Call call) {
    String name = call.pathParam("name");
    if (name == null || name.startsWith(INTERNAL)) throw ApiError.notFound("Setting");
    if (name.length() > 128 || !name.matches("[A-Za-z0-9._-]+")) {
      throw ApiError.invalid("name", "must be 1-128 letters, digits, dots, underscores or dashes");
    }
    return name;
  }

  private Future<Reply> list(Call call) {
    Paging paging = Paging.of(call);
    return store.admin().settings().map(all -> {
      List<String> visible = all.keySet().stream().filter(n -> !n.startsWith(INTERNAL)).toList();
      JsonArray items = new JsonArray();
      visible.stream().skip(paging.offset).limit(paging.limit)
          .forEach(n -> items.add(new JsonObject().put("name", n).put("value", all.get(n))));
      return Reply.ok(paging.wrap(items, visible.size()));
    });
  }

  private Future<Reply> get(Call call) {
    String name = name(call);
    return store.setting(name).map(value -> {
      if (value == null) throw ApiError.notFound("Setting");
      return Reply.ok(new JsonObject().put("name", name).put("value", value));
    });
  }

  private Future<Reply> put(Call call) {
    String name = name(call);
    Fields f = new Fields(call.body(), Set.of("value"));
    String value = f.text("value", true, 65_536);
    f.check();
    return store.putSetting(name, value)
        .onSuccess(v -> pool.announce("settings"))
        .compose(v -> audit.record(call, "setting.put", "setting:" + name, null))
        .map(Reply.ok(new JsonObject().put("name", name).put("value", value)));
  }

  private Future<Reply> delete(Call call) {
    String name = name(call);
    return store.admin().deleteSetting(name).compose(found -> {
      if (!found) throw ApiError.notFound("Setting");
      pool.announce("settings");
      return audit.record(call, "setting.delete", "setting:" + name, null);
    }).map(Reply.noContent());
  }
}
