package dev.switchboard.store;

import dev.switchboard.store.AdminStore.ChannelDraft;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes of run-time ({@code source = 'api'}) channels, inside the caller's transaction.
 * Channels declared in YAML are never touched here: they belong to {@link ChannelSync}.
 * Replacing credentials keeps the id of every secret that stays, as the sync does.
 */
final class ChannelWrites {

  private final SqlConnection conn;
  private final Dialect d;
  private final SecretBox secrets;
  private final long now = System.currentTimeMillis();

  ChannelWrites(SqlConnection conn, Dialect dialect, SecretBox secrets) {
    this.conn = conn;
    this.d = dialect;
    this.secrets = secrets;
  }

  private Future<Void> nameFree(String name, long exceptId) {
    return conn.preparedQuery(d.sql("SELECT id FROM channels WHERE name = ? AND id <> ?")).execute(Tuple.of(name, exceptId))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(new StoreConflict("name", "a channel with this name exists"))
            : Future.succeededFuture());
  }

  Future<Long> create(ChannelDraft c) {
    String sql = "INSERT INTO channels (name, type, base_urls, models, model_map, priority, weight, enabled, source,"
        + " created_at, updated_at, quota_tokens, cost_quota_nanos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'api', ?, ?, ?, ?)";
    return nameFree(c.name(), -1)
        .compose(v -> conn.preparedQuery(d.sql(sql)).execute(Tuple.of(c.name(), c.type(), Columns.encodeList(c.baseUrls()),
            Columns.encodeList(c.models()), Columns.encodeMap(c.modelMap()), c.priority(), c.weight(), d.flagParam(c.enabled()))
            .addLong(now).addLong(now).addValue(quota(c.quota())).addValue(quota(c.costQuotaNanos()))))
        .compose(v -> conn.preparedQuery(d.sql("SELECT id FROM channels WHERE name = ?")).execute(Tuple.of(c.name())))
        .map(rows -> rows.iterator().next().getLong("id"))
        .compose(id -> replaceCredentials(id, c.keys(), c.keyQuotas()).map(id));
  }

  Future<Boolean> update(long id, ChannelDraft c) {
    String sql = "UPDATE channels SET name = ?, type = ?, base_urls = ?, models = ?, model_map = ?, priority = ?, weight = ?,"
        + " enabled = ?, updated_at = ?, quota_tokens = ?, cost_quota_nanos = ? WHERE id = ? AND source = 'api'";
    return nameFree(c.name(), id)
        .compose(v -> conn.preparedQuery(d.sql(sql)).execute(Tuple.of(c.name(), c.type(), Columns.encodeList(c.baseUrls()),
            Columns.encodeList(c.models()), Columns.encodeMap(c.modelMap()), c.priority(), c.weight(), d.flagParam(c.enabled()))
            .addLong(now).addValue(quota(c.quota())).addValue(quota(c.costQuotaNanos())).addLong(id)))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : replaceCredentials(id, c.keys(), c.keyQuotas()).map(true));
  }

  Future<Boolean> delete(long id) {
    return conn.preparedQuery(d.sql("SELECT id FROM channels WHERE id = ? AND source = 'api'")).execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
            : conn.preparedQuery(d.sql("DELETE FROM credentials WHERE channel_id = ?")).execute(Tuple.of(id))
                .compose(v -> conn.preparedQuery(d.sql("DELETE FROM channels WHERE id = ?")).execute(Tuple.of(id)))
                .map(true));
  }

  private Future<Void> replaceCredentials(long channelId, List<String> keys, Map<String, AdminStore.KeyQuota> quotas) {
    if (keys == null) {
      return Future.succeededFuture();
    }
    Set<String> wanted = new LinkedHashSet<>(keys);
    return conn.preparedQuery(d.sql("SELECT id, secret_enc FROM credentials WHERE channel_id = ? ORDER BY id"))
        .execute(Tuple.of(channelId))
        .compose(rows -> {
          Set<String> kept = new HashSet<>();
          List<Long> stale = new ArrayList<>();
          Map<Long, AdminStore.KeyQuota> requota = new HashMap<>();
          for (Row row : rows) {
            String secret = open(row.getString("secret_enc"));
            if (secret == null || !wanted.contains(secret) || !kept.add(secret)) {
              stale.add(row.getLong("id"));
            } else if (quotas.containsKey(secret)) {
              requota.put(row.getLong("id"), quotas.get(secret));
            }
          }
          List<String> fresh = wanted.stream().filter(k -> !kept.contains(k)).toList();
          AdminStore.KeyQuota none = new AdminStore.KeyQuota(-1, -1);
          return Steps.each(stale, sid -> conn.preparedQuery(d.sql("DELETE FROM credentials WHERE id = ?")).execute(Tuple.of(sid)))
              .compose(v -> Steps.each(new ArrayList<>(requota.entrySet()), e -> conn.preparedQuery(d.sql(
                      "UPDATE credentials SET quota_tokens = ?, cost_quota_nanos = ? WHERE id = ?"))
                  .execute(Tuple.of(quota(e.getValue().tokens()), quota(e.getValue().costNanos()), e.getKey()))))
              .compose(v -> Steps.each(fresh, key -> {
                AdminStore.KeyQuota q = quotas.getOrDefault(key, none);
                return conn.preparedQuery(d.sql("INSERT INTO credentials (channel_id, secret_enc, enabled, created_at, quota_tokens,"
                        + " cost_quota_nanos) VALUES (?, ?, ?, ?, ?, ?)"))
                    .execute(Tuple.of(channelId, secrets.encrypt(key), d.flagParam(true), now, quota(q.tokens()), quota(q.costNanos())));
              }));
        });
  }

  /** A quota column's value: null for none. */
  private static Long quota(long value) {
    return value < 0 ? null : value;
  }

  private String open(String sealed) {
    try {
      return secrets.decrypt(sealed);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
