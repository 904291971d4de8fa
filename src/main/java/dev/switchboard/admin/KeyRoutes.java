package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.store.AdminStore;
import dev.switchboard.store.AdminStore.Key;
import dev.switchboard.store.KeyHash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Client API keys. A new or rotated key is answered once, in full, and stored only as its
 * SHA-256 (as declared keys are); listings show its first characters. Keys declared in the
 * configuration file are listed but not changed here.
 */
final class KeyRoutes {

  static final String KEY_PREFIX = "sk-sb-";

  private final AdminStore store;
  private final Audit audit;
  private final PoolReload pool;

  KeyRoutes(AdminStore store, Audit audit, PoolReload pool) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/keys", Role.VIEWER, this::list),
        Endpoint.of(POST, "/keys", Role.OPERATOR, this::create),
        Endpoint.of(GET, "/keys/{id}", Role.VIEWER, this::get),
        Endpoint.of(PATCH, "/keys/{id}", Role.OPERATOR, this::update),
        Endpoint.of(DELETE, "/keys/{id}", Role.OPERATOR, this::delete),
        Endpoint.of(POST, "/keys/{id}/revoke", Role.OPERATOR, this::revoke),
        Endpoint.of(POST, "/keys/{id}/rotate", Role.OPERATOR, this::rotate));
  }

  static JsonObject render(Key k) {
    return new JsonObject().put("id", k.id()).put("name", k.name())
        .put("prefix", k.prefix() == null ? null : k.prefix() + "…")
        .put("models", new JsonArray(new ArrayList<Object>(k.models()))).put("enabled", k.enabled())
        .put("expiresAt", k.expiresAt() == 0 ? null : Instant.ofEpochMilli(k.expiresAt()).toString())
        .put("expired", k.expiresAt() > 0 && k.expiresAt() <= System.currentTimeMillis())
        .put("returnCost", k.returnCost())
        .put("source", k.source()).put("createdAt", Instant.ofEpochMilli(k.createdAt()).toString());
  }

  private static String newKey() {
    return KEY_PREFIX + Passwords.random(24);
  }

  private static String prefixOf(String key) {
    return key.substring(0, KEY_PREFIX.length() + 4);
  }

  private Future<Reply> list(Call call) {
    Map<String, Comparator<Key>> sorts = new LinkedHashMap<>();
    sorts.put("id", Comparator.comparingLong(Key::id));
    sorts.put("name", Comparator.comparing(Key::name));
    sorts.put("createdAt", Comparator.comparingLong(Key::createdAt));
    sorts.put("expiresAt", Comparator.comparingLong(k -> k.expiresAt() == 0 ? Long.MAX_VALUE : k.expiresAt()));
    String enabled = call.query("enabled");
    String source = call.query("source");
    if (enabled != null && !enabled.equals("true") && !enabled.equals("false")) {
      throw ApiError.invalid("enabled", "must be true or false");
    }
    return store.keys().map(all -> Reply.ok(Paging.page(call, all.stream()
        .filter(k -> enabled == null || k.enabled() == Boolean.parseBoolean(enabled))
        .filter(k -> source == null || source.equals(k.source())).toList(), Key::name, sorts, "id", KeyRoutes::render)));
  }

  private Future<Key> find(Call call, boolean writable) {
    long id = call.id("Key");
    return store.key(id).map(k -> {
      if (k == null) throw ApiError.notFound("Key");
      if (writable && !"api".equals(k.source())) throw ApiError.readOnly("This key");
      return k;
    });
  }

  private Future<Reply> get(Call call) {
    return find(call, false).map(k -> Reply.ok(render(k)));
  }

  private Future<Reply> create(Call call) {
    Fields f = new Fields(call.body(), Set.of("name", "models", "expiresAt", "enabled", "returnCost"));
    String name = f.text("name", true, 128);
    List<String> models = f.strings("models", 1000, 200);
    long expiresAt = f.instant("expiresAt");
    Boolean enabled = f.bool("enabled");
    Boolean returnCost = f.bool("returnCost");
    f.check();
    String key = newKey();
    return store.createKey(name, KeyHash.sha256Hex(key), prefixOf(key), models == null ? List.of() : models,
            Math.max(0, expiresAt), enabled == null || enabled, returnCost != null && returnCost)
        .compose(k -> pool.reload()
            .compose(v -> audit.record(call, "key.create", "key:" + k.id(), new JsonObject().put("name", k.name())))
            .map(Reply.created(render(k).put("key", key))));
  }

  private Future<Reply> update(Call call) {
    Fields f = new Fields(call.body(), Set.of("name", "models", "expiresAt", "enabled", "returnCost"));
    String name = f.text("name", false, 128);
    List<String> models = f.strings("models", 1000, 200);
    long expiresAt = f.instant("expiresAt");
    Boolean enabled = f.bool("enabled");
    Boolean returnCost = f.bool("returnCost");
    f.check();
    return find(call, true)
        .compose(k -> store.updateKey(k.id(), name, models, enabled, expiresAt, returnCost))
        .compose(k -> pool.reload()
            .compose(v -> audit.record(call, "key.update", "key:" + k.id(), new JsonObject().put("name", name)
                .put("enabled", enabled).put("modelsChanged", models != null).put("expiryChanged", expiresAt >= 0)
                .put("returnCost", returnCost)))
            .map(Reply.ok(render(k))));
  }

  private Future<Reply> revoke(Call call) {
    return find(call, true)
        .compose(k -> store.updateKey(k.id(), null, null, false, -1))
        .compose(k -> pool.reload().compose(v -> audit.record(call, "key.revoke", "key:" + k.id(), null)).map(Reply.ok(render(k))));
  }

  private Future<Reply> rotate(Call call) {
    String key = newKey();
    return find(call, true)
        .compose(k -> store.rotateKey(k.id(), KeyHash.sha256Hex(key), prefixOf(key)))
        .compose(k -> pool.reload().compose(v -> audit.record(call, "key.rotate", "key:" + k.id(), null))
            .map(Reply.ok(render(k).put("key", key))));
  }

  private Future<Reply> delete(Call call) {
    return find(call, true)
        .compose(k -> store.deleteKey(k.id()).compose(v -> pool.reload())
            .compose(v -> audit.record(call, "key.delete", "key:" + k.id(), new JsonObject().put("name", k.name()))))
        .map(Reply.noContent());
  }
}
