package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.AdminStore.StoredAlias;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Model aliases: requests for {@code alias} are routed as {@code model} (a group or any served
 * model). The file's {@code aliases} are listed ({@code source: config}, addressed by name) but
 * changed only there. An alias name must not be claimed by any group or other alias.
 */
final class AliasRoutes {

  private static final Set<String> FIELDS = Set.of("alias", "model");

  private record View(Long id, String alias, String model, String source, long createdAt, long updatedAt) {}

  private final Store store;
  private final Audit audit;
  private final PoolReload pool;
  private final Supplier<SwitchboardConfig> config;

  AliasRoutes(Store store, Audit audit, PoolReload pool, Supplier<SwitchboardConfig> config) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
    this.config = config;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/aliases", Role.VIEWER, this::list),
        Endpoint.of(POST, "/aliases", Role.OPERATOR, this::create),
        Endpoint.of(GET, "/aliases/{id}", Role.VIEWER, this::get),
        Endpoint.of(PATCH, "/aliases/{id}", Role.OPERATOR, this::update),
        Endpoint.of(DELETE, "/aliases/{id}", Role.OPERATOR, this::delete));
  }

  private Future<List<View>> views() {
    return store.admin().aliases().map(stored -> {
      List<View> out = new ArrayList<>();
      SwitchboardConfig c = config.get();
      if (c != null) c.aliases().forEach((a, m) -> out.add(new View(null, a, m, "config", 0, 0)));
      for (StoredAlias a : stored) out.add(new View(a.id(), a.alias(), a.model(), "api", a.createdAt(), a.updatedAt()));
      return out;
    });
  }

  private static JsonObject render(View v) {
    return new JsonObject().put("id", v.id()).put("alias", v.alias()).put("model", v.model()).put("source", v.source())
        .put("createdAt", v.id() == null ? null : v.createdAt()).put("updatedAt", v.id() == null ? null : v.updatedAt());
  }

  private Future<Reply> list(Call call) {
    Map<String, Comparator<View>> sorts = new LinkedHashMap<>();
    sorts.put("alias", Comparator.comparing(View::alias));
    sorts.put("model", Comparator.comparing(View::model));
    sorts.put("id", Comparator.comparing(v -> v.id() == null ? 0L : v.id()));
    String source = call.query("source");
    return views().map(all -> Reply.ok(Paging.page(call, all.stream().filter(v -> source == null || source.equals(v.source()))
        .toList(), v -> v.alias() + " " + v.model(), sorts, "alias", AliasRoutes::render)));
  }

  /** {@code {id}} is a stored alias's id or any alias's name. */
  private Future<View> find(Call call) {
    String key = call.pathParam("id");
    return views().map(all -> all.stream()
        .filter(v -> key.equals(v.alias()) || v.id() != null && key.equals(String.valueOf(v.id())))
        .findFirst().orElseThrow(() -> ApiError.notFound("Alias")));
  }

  private Future<Reply> get(Call call) {
    return find(call).map(v -> Reply.ok(render(v)));
  }

  /** Validates the alias over {@code base} (null on create) and checks its name is free. */
  private Future<StoredAlias> write(Call call, View base) {
    Fields f = new Fields(call.body(), FIELDS);
    String alias = f.text("alias", base == null, 191);
    String model = f.text("model", base == null, 191);
    String a = alias != null ? alias : base == null ? null : base.alias();
    String m = model != null ? model : base == null ? null : base.model();
    if (a != null && a.equals(m)) f.error("model", "an alias cannot name itself");
    f.check();
    long id = base == null ? 0 : base.id();
    return Future.all(store.admin().groups(), store.admin().aliases()).compose(all -> {
      new ModelNames(config.get(), all.resultAt(0), all.resultAt(1), 0, id).claim("alias", a);
      return base == null ? store.admin().createAlias(a, m) : store.admin().updateAlias(id, a, m);
    });
  }

  private Future<Reply> create(Call call) {
    return write(call, null).compose(a -> pool.reload()
        .compose(v -> audit.record(call, "alias.create", "alias:" + a.id(), new JsonObject().put("alias", a.alias()).put("model", a.model())))
        .map(v -> Reply.created(render(new View(a.id(), a.alias(), a.model(), "api", a.createdAt(), a.updatedAt())))));
  }

  private Future<Reply> update(Call call) {
    return find(call).compose(existing -> {
      if (existing.id() == null) throw ApiError.readOnly("This alias");
      return write(call, existing);
    }).compose(a -> {
      if (a == null) throw ApiError.notFound("Alias");
      return pool.reload()
          .compose(v -> audit.record(call, "alias.update", "alias:" + a.id(), new JsonObject().put("alias", a.alias()).put("model", a.model())))
          .map(v -> Reply.ok(render(new View(a.id(), a.alias(), a.model(), "api", a.createdAt(), a.updatedAt()))));
    });
  }

  private Future<Reply> delete(Call call) {
    return find(call).compose(existing -> {
      if (existing.id() == null) throw ApiError.readOnly("This alias");
      return store.admin().deleteAlias(existing.id())
          .compose(v -> pool.reload())
          .compose(v -> audit.record(call, "alias.delete", "alias:" + existing.id(), new JsonObject().put("alias", existing.alias())));
    }).map(Reply.noContent());
  }
}
