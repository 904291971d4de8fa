package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.store.AdminStore;
import dev.switchboard.store.AdminStore.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Management users (admin only). The last enabled admin can be neither demoted, disabled nor deleted. */
final class UserRoutes {

  private static final Set<String> FIELDS = Set.of("username", "password", "role", "enabled");

  private final AdminStore store;
  private final Passwords passwords;
  private final Audit audit;

  UserRoutes(AdminStore store, Passwords passwords, Audit audit) {
    this.store = store;
    this.passwords = passwords;
    this.audit = audit;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/users", Role.ADMIN, this::list),
        Endpoint.of(POST, "/users", Role.ADMIN, this::create),
        Endpoint.of(GET, "/users/{id}", Role.ADMIN, this::get),
        Endpoint.of(PATCH, "/users/{id}", Role.ADMIN, this::update),
        Endpoint.of(DELETE, "/users/{id}", Role.ADMIN, this::delete));
  }

  static JsonObject render(User u) {
    return new JsonObject().put("id", u.id()).put("username", u.username()).put("role", u.role())
        .put("enabled", u.enabled()).put("createdAt", Instant.ofEpochMilli(u.createdAt()).toString())
        .put("updatedAt", Instant.ofEpochMilli(u.updatedAt()).toString());
  }

  private Future<Reply> list(Call call) {
    Map<String, Comparator<User>> sorts = new LinkedHashMap<>();
    sorts.put("id", Comparator.comparingLong(User::id));
    sorts.put("username", Comparator.comparing(User::username));
    sorts.put("role", Comparator.comparing(User::role));
    sorts.put("createdAt", Comparator.comparingLong(User::createdAt));
    return store.users().map(all -> Reply.ok(Paging.page(call, all, User::username, sorts, "id", UserRoutes::render)));
  }

  private Future<Reply> get(Call call) {
    long id = call.id("User");
    return store.user(id).map(u -> {
      if (u == null) throw ApiError.notFound("User");
      return Reply.ok(render(u));
    });
  }

  private static Role role(Fields f) {
    String text = f.text("role", false, 16);
    Role role = Role.parse(text);
    if (text != null && role == null) f.error("role", "must be one of admin, operator, viewer");
    return role;
  }

  private Future<Reply> create(Call call) {
    Fields f = new Fields(call.body(), FIELDS);
    String username = f.username("username", true);
    String password = f.password("password", true);
    Role role = role(f);
    if (!f.has("role")) f.error("role", "is required");
    Boolean enabled = f.bool("enabled");
    f.check();
    return passwords.hash(password)
        .compose(hash -> store.createUser(username, hash, role.wire(), enabled == null || enabled))
        .compose(u -> audit.record(call, "user.create", "user:" + u.id(),
            new JsonObject().put("username", u.username()).put("role", u.role())).map(Reply.created(render(u))));
  }

  private Future<Reply> update(Call call) {
    long id = call.id("User");
    Fields f = new Fields(call.body(), Set.of("password", "role", "enabled"));
    String password = f.password("password", false);
    Role role = role(f);
    Boolean enabled = f.bool("enabled");
    f.check();
    return store.user(id).compose(u -> {
      if (u == null) throw ApiError.notFound("User");
      boolean losesAdmin = "admin".equals(u.role()) && u.enabled()
          && ((role != null && role != Role.ADMIN) || Boolean.FALSE.equals(enabled));
      return (losesAdmin ? requireAnotherAdmin(id) : Future.<Void>succeededFuture())
          .compose(v -> password == null ? Future.succeededFuture((String) null) : passwords.hash(password))
          .compose(hash -> store.updateUser(id, role == null ? null : role.wire(), enabled, hash))
          .compose(updated -> (password != null || Boolean.FALSE.equals(enabled) ? store.revokeSessions(id) : Future.<Void>succeededFuture())
              .compose(v -> audit.record(call, "user.update", "user:" + id, new JsonObject()
                  .put("role", role == null ? null : role.wire()).put("enabled", enabled).put("passwordChanged", password != null)))
              .map(Reply.ok(render(updated))));
    });
  }

  private Future<Reply> delete(Call call) {
    long id = call.id("User");
    return store.user(id).compose(u -> {
      if (u == null) throw ApiError.notFound("User");
      Future<Void> guard = "admin".equals(u.role()) && u.enabled() ? requireAnotherAdmin(id) : Future.succeededFuture();
      return guard.compose(v -> store.deleteUser(id))
          .compose(v -> audit.record(call, "user.delete", "user:" + id, new JsonObject().put("username", u.username())))
          .map(Reply.noContent());
    });
  }

  private Future<Void> requireAnotherAdmin(long exceptId) {
    return store.users().compose(all -> all.stream().anyMatch(u -> u.id() != exceptId && u.enabled() && "admin".equals(u.role()))
        ? Future.succeededFuture()
        : Future.failedFuture(ApiError.of(409, "last_admin", "This is the last enabled admin; create another admin first.")));
  }
}
