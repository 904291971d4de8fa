package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig.ChannelConfig;
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
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the {@code source = 'config'} channels match the declared list, inside one
 * transaction on one connection. Channels are matched by name; a channel is only rewritten
 * when a field changed. Credentials are matched by their decrypted secret so an unchanged key
 * keeps its id (usage records refer to it); undeclared ones are deleted, new ones inserted in
 * declared order. {@code enabled} is set on insert and otherwise left as stored.
 */
final class ChannelSync {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelSync.class);

  private final SqlConnection conn;
  private final Dialect d;
  private final SecretBox secrets;
  private final long now = System.currentTimeMillis();

  ChannelSync(SqlConnection conn, Dialect dialect, SecretBox secrets) {
    this.conn = conn;
    this.d = dialect;
    this.secrets = secrets;
  }

  /** A stored channel row, as far as the sync compares it. */
  private record Stored(long id, String source, ChannelConfig fields) {}

  Future<Void> run(List<ChannelConfig> declared) {
    Set<String> names = new HashSet<>();
    for (ChannelConfig c : declared) {
      if (c.name() == null || !names.add(c.name())) {
        return Future.failedFuture(new IllegalArgumentException(
            "declared channel names must be present and unique: " + c.name()));
      }
    }
    return conn.query("SELECT id, name, type, base_urls, models, model_map, priority, weight,"
            + " source FROM channels").execute()
        .compose(rows -> {
          Map<String, Stored> stored = new HashMap<>();
          for (Row row : rows) {
            stored.put(row.getString("name"), stored(row));
          }
          List<Stored> gone = new ArrayList<>();
          for (Stored s : stored.values()) {
            if ("config".equals(s.source()) && !names.contains(s.fields().name())) {
              gone.add(s);
            }
          }
          gone.sort((a, b) -> Long.compare(a.id(), b.id()));
          return Steps.each(gone, this::delete)
              .compose(v -> Steps.each(declared, c -> upsert(c, stored.get(c.name()))));
        });
  }

  private static Stored stored(Row row) {
    ChannelConfig fields = new ChannelConfig(row.getString("name"), row.getString("type"),
        Columns.decodeList(row.getString("base_urls")), List.of(),
        Columns.decodeList(row.getString("models")), Columns.decodeMap(row.getString("model_map")),
        row.getInteger("priority"), row.getInteger("weight"));
    return new Stored(row.getLong("id"), row.getString("source"), fields);
  }

  private Future<Void> delete(Stored s) {
    return conn.preparedQuery(d.sql("DELETE FROM credentials WHERE channel_id = ?"))
        .execute(Tuple.of(s.id()))
        .compose(v -> conn.preparedQuery(d.sql("DELETE FROM channels WHERE id = ?"))
            .execute(Tuple.of(s.id())))
        .mapEmpty();
  }

  private Future<Void> upsert(ChannelConfig c, Stored existing) {
    if (existing == null) {
      return insert(c).compose(id -> syncCredentials(id, c.keys()));
    }
    if (!"config".equals(existing.source())) {
      return Future.failedFuture(new IllegalStateException("channel '" + c.name()
          + "' is declared in the configuration but already exists as a run-time channel"));
    }
    Future<Void> update = sameFields(existing.fields(), c)
        ? Future.succeededFuture()
        : update(existing.id(), c);
    return update.compose(v -> syncCredentials(existing.id(), c.keys()));
  }

  private static boolean sameFields(ChannelConfig a, ChannelConfig b) {
    return Objects.equals(a.type(), b.type())
        && Objects.equals(a.baseUrls(), orEmpty(b.baseUrls()))
        && Objects.equals(a.models(), orEmpty(b.models()))
        && Objects.equals(a.modelMap(), b.modelMap() == null ? Map.of() : b.modelMap())
        && a.priority() == b.priority()
        && a.weight() == b.weight();
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  private Future<Long> insert(ChannelConfig c) {
    String sql = "INSERT INTO channels (name, type, base_urls, models, model_map, priority,"
        + " weight, enabled, source, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'config', ?, ?)";
    Tuple params = Tuple.of(c.name(), c.type(), Columns.encodeList(c.baseUrls()),
        Columns.encodeList(c.models()), Columns.encodeMap(c.modelMap()), c.priority(), c.weight(),
        d.flagParam(true)).addLong(now).addLong(now);
    // the name is unique: reading the id back works the same on every database
    return conn.preparedQuery(d.sql(sql)).execute(params)
        .compose(v -> conn.preparedQuery(d.sql("SELECT id FROM channels WHERE name = ?"))
            .execute(Tuple.of(c.name())))
        .map(rows -> rows.iterator().next().getLong("id"));
  }

  private Future<Void> update(long id, ChannelConfig c) {
    String sql = "UPDATE channels SET type = ?, base_urls = ?, models = ?, model_map = ?,"
        + " priority = ?, weight = ?, updated_at = ? WHERE id = ?";
    Tuple params = Tuple.of(c.type(), Columns.encodeList(c.baseUrls()),
        Columns.encodeList(c.models()), Columns.encodeMap(c.modelMap()), c.priority(), c.weight())
        .addLong(now).addLong(id);
    return conn.preparedQuery(d.sql(sql)).execute(params).mapEmpty();
  }

  private Future<Void> syncCredentials(long channelId, List<String> keys) {
    Set<String> wanted = new LinkedHashSet<>(orEmpty(keys));
    return conn.preparedQuery(d.sql(
            "SELECT id, secret_enc FROM credentials WHERE channel_id = ? ORDER BY id"))
        .execute(Tuple.of(channelId))
        .compose(rows -> {
          Set<String> kept = new HashSet<>();
          List<Long> stale = new ArrayList<>();
          for (Row row : rows) {
            String secret = openOrNull(row.getLong("id"), row.getString("secret_enc"));
            if (secret != null && wanted.contains(secret) && kept.add(secret)) {
              continue;
            }
            stale.add(row.getLong("id"));
          }
          List<String> fresh = new ArrayList<>();
          for (String key : wanted) {
            if (!kept.contains(key)) {
              fresh.add(key);
            }
          }
          return Steps.each(stale, id -> conn
                  .preparedQuery(d.sql("DELETE FROM credentials WHERE id = ?"))
                  .execute(Tuple.of(id)))
              .compose(v -> Steps.each(fresh, key -> conn
                  .preparedQuery(d.sql("INSERT INTO credentials (channel_id, secret_enc, enabled,"
                      + " created_at) VALUES (?, ?, ?, ?)"))
                  .execute(Tuple.of(channelId, secrets.encrypt(key), d.flagParam(true), now))));
        });
  }

  private String openOrNull(long credentialId, String sealed) {
    try {
      return secrets.decrypt(sealed);
    } catch (IllegalArgumentException e) {
      LOG.warn("Credential {} cannot be decrypted with the current master key; replacing it",
          credentialId);
      return null;
    }
  }
}
