package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig.ApiKeyConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Makes the {@code source = 'config'} client keys match the declared list, inside one
 * transaction on one connection. Keys are matched by name; a declared key is either the key
 * itself (stored only as its SHA-256) or {@code keySha256}. {@code enabled} is set on insert and
 * otherwise left as stored.
 */
final class KeySync {

  private final SqlConnection conn;
  private final Dialect d;

  KeySync(SqlConnection conn, Dialect dialect) {
    this.conn = conn;
    this.d = dialect;
  }

  /** A declared key reduced to what is stored. */
  private record Wanted(String name, String hash, String models, boolean returnCost) {}

  /** Validates the declarations (without echoing any key) and computes the hashes. */
  private static List<Wanted> resolve(List<ApiKeyConfig> declared) {
    List<Wanted> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ApiKeyConfig k : declared) {
      if (k.name() == null || !names.add(k.name())) {
        throw new IllegalArgumentException(
            "declared api key names must be present and unique: " + k.name());
      }
      boolean hasKey = k.key() != null && !k.key().isEmpty();
      boolean hasHash = k.keySha256() != null && !k.keySha256().isEmpty();
      if (hasKey == hasHash) {
        throw new IllegalArgumentException(
            "api key '" + k.name() + "': give exactly one of key or keySha256");
      }
      if (hasHash && !KeyHash.isSha256Hex(k.keySha256())) {
        throw new IllegalArgumentException(
            "api key '" + k.name() + "': keySha256 must be 64 hexadecimal digits");
      }
      String hash = hasKey ? KeyHash.sha256Hex(k.key()) : k.keySha256().toLowerCase(Locale.ROOT);
      if (!hashes.add(hash)) {
        throw new IllegalArgumentException(
            "api key '" + k.name() + "' duplicates another declared key");
      }
      out.add(new Wanted(k.name(), hash, Columns.encodeList(k.models()), k.returnCost()));
    }
    return out;
  }

  Future<Void> run(List<ApiKeyConfig> declared) {
    List<Wanted> wanted;
    try {
      wanted = resolve(declared);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Set<String> names = new HashSet<>();
    wanted.forEach(w -> names.add(w.name()));
    return conn.query("SELECT id, name, key_hash, models, return_cost FROM api_keys WHERE source = 'config'"
            + " ORDER BY id").execute()
        .compose(rows -> {
          Map<String, Row> stored = new HashMap<>();
          List<Long> gone = new ArrayList<>();
          for (Row row : rows) {
            if (names.contains(row.getString("name"))) {
              stored.put(row.getString("name"), row);
            } else {
              gone.add(row.getLong("id"));
            }
          }
          return Steps.each(gone, id -> conn
                  .preparedQuery(d.sql("DELETE FROM api_keys WHERE id = ?")).execute(Tuple.of(id)))
              .compose(v -> Steps.each(wanted, w -> upsert(w, stored.get(w.name()))));
        });
  }

  private Future<?> upsert(Wanted w, Row existing) {
    if (existing == null) {
      return conn.preparedQuery(d.sql("INSERT INTO api_keys (name, key_hash, models, enabled,"
              + " source, created_at, return_cost) VALUES (?, ?, ?, ?, 'config', ?, ?)"))
          .execute(Tuple.of(w.name(), w.hash(), w.models(), d.flagParam(true),
              System.currentTimeMillis(), d.flagParam(w.returnCost())));
    }
    if (w.hash().equals(existing.getString("key_hash"))
        && w.models().equals(Columns.encodeList(
            Columns.decodeList(existing.getString("models"))))
        && w.returnCost() == Dialect.readFlag(existing, "return_cost")) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(d.sql("UPDATE api_keys SET key_hash = ?, models = ?, return_cost = ? WHERE id = ?"))
        .execute(Tuple.of(w.hash(), w.models(), d.flagParam(w.returnCost()), existing.getLong("id")));
  }
}
