package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A credential's own quotas, for credentials of any channel (YAML lists keys as plain strings,
 * so this is where theirs are set): {@code quota} (tokens) and {@code costQuota} (money), and a
 * reset of what it has used. The secret itself is changed with its channel's {@code keys}.
 */
final class CredentialRoutes {

  private static final Set<String> FIELDS = Set.of(QuotaFields.TOKENS, QuotaFields.MONEY);

  private final Store store;
  private final Audit audit;
  private final PoolReload pool;

  CredentialRoutes(Store store, Audit audit, PoolReload pool) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(PATCH, "/credentials/{id}", Role.OPERATOR, this::update),
        Endpoint.of(POST, "/credentials/{id}/quota/reset", Role.OPERATOR, this::resetQuota));
  }

  /** A credential as answers show it: masked, with its quotas (null = none). */
  static JsonObject render(Credential cred) {
    return new JsonObject().put("id", cred.id()).put("channel", cred.channelId()).put("enabled", cred.enabled())
        .put("key", ChannelRoutes.mask(cred.secret()))
        .put("quota", QuotaFields.shown(cred.quota())).put("costQuota", QuotaFields.display(cred.costQuotaNanos()));
  }

  private Future<Credential> find(long id) {
    return store.channels().map(all -> all.stream().map(Channel::credentials).flatMap(List::stream)
        .filter(c -> c.id() == id).findFirst().orElseThrow(() -> ApiError.notFound("Credential")));
  }

  private Future<Reply> update(Call call) {
    long id = call.id("Credential");
    JsonObject body = call.body();
    return find(id).compose(existing -> {
      Fields f = new Fields(body, FIELDS);
      long quota = QuotaFields.tokens(f, existing.quota());
      long costQuota = QuotaFields.nanos(f, existing.costQuotaNanos());
      f.check();
      return store.admin().setCredentialQuota(id, quota, costQuota)
          .compose(found -> {
            if (!found) throw ApiError.notFound("Credential");
            return pool.reload();
          })
          .compose(v -> audit.record(call, "credential.update", "credential:" + id, new JsonObject()
              .put("channel", existing.channelId()).put("quota", QuotaFields.shown(quota))
              .put("costQuota", QuotaFields.display(costQuota))))
          .compose(v -> find(id));
    }).map(c -> Reply.ok(render(c)));
  }

  /** Zeroes what the credential has used against its own quotas, here at once and elsewhere with the change notice. */
  private Future<Reply> resetQuota(Call call) {
    long id = call.id("Credential");
    return find(id).compose(c -> pool.resetQuota(new JsonObject().put("credential", id))
        .compose(v -> audit.record(call, "credential.quota.reset", "credential:" + id,
            new JsonObject().put("channel", c.channelId())))
        .compose(v -> find(id)))
        .map(c -> Reply.ok(render(c)));
  }
}
