package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-encrypts every stored secret (upstream credentials, the gateway's sealed {@code internal.}
 * settings such as the JWT signing secret) from one master key to another, in one transaction:
 * every secret is opened with the current key first (one that will not open stops the rotation
 * before anything is written), sealed under the new key, then read back and opened with the new
 * key before the commit. Any failure rolls back, so the database is left as it was. Meant for a
 * stopped gateway: a running one keeps the old key and cannot read what this writes.
 */
public final class MasterKeyRotation {

  /** How many secrets were re-encrypted. */
  public record Result(int credentials, int settings) {}

  /** Called inside the transaction after each secret is rewritten (tests make it fail midway). */
  interface Step {
    void written(int count);
  }

  private record Secret(boolean credential, String id, String plain) {}

  private MasterKeyRotation() {}

  public static Future<Result> rotate(Vertx vertx, SwitchboardConfig.Database config, SecretBox current, SecretBox next) {
    return rotate(vertx, config, current, next, count -> {});
  }

  static Future<Result> rotate(Vertx vertx, SwitchboardConfig.Database config, SecretBox current, SecretBox next, Step step) {
    Dialect dialect;
    try {
      dialect = Dialect.of(config.type());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Pools.create(vertx, config).compose(pool -> Transactions.run(pool, dialect, conn -> reseal(conn, dialect, current, next, step))
        .eventually(pool::close));
  }

  private static Future<Result> reseal(SqlConnection conn, Dialect dialect, SecretBox current, SecretBox next, Step step) {
    return conn.query("SELECT id, secret_enc FROM credentials ORDER BY id").execute()
        .compose(creds -> conn.query("SELECT name, value FROM settings WHERE name LIKE 'internal.%' ORDER BY name").execute()
            .map(settings -> {
              List<Secret> all = new ArrayList<>();
              for (Row row : creds) {
                long id = row.getLong("id");
                all.add(new Secret(true, Long.toString(id), open(current, row.getString("secret_enc"), "credential " + id)));
              }
              for (Row row : settings) {
                String name = row.getString("name");
                // internal settings that are not sealed (none today) are left as they are
                if (SecretBox.isSealed(row.getString("value"))) {
                  all.add(new Secret(false, name, open(current, row.getString("value"), "setting " + name)));
                }
              }
              return all;
            }))
        .compose(all -> write(conn, dialect, next, all, step).compose(v -> verify(conn, dialect, next, all)).map(v -> {
          int credentials = (int) all.stream().filter(Secret::credential).count();
          return new Result(credentials, all.size() - credentials);
        }));
  }

  private static String open(SecretBox box, String sealed, String what) {
    try {
      return box.decrypt(sealed);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(what + " cannot be opened with the current master key (" + e.getMessage()
          + "); nothing was changed");
    }
  }

  private static Future<Void> write(SqlConnection conn, Dialect dialect, SecretBox next, List<Secret> all, Step step) {
    String credential = dialect.sql("UPDATE credentials SET secret_enc = ? WHERE id = ?");
    String setting = dialect.sql("UPDATE settings SET value = ? WHERE name = ?");
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < all.size(); i++) {
      Secret s = all.get(i);
      int count = i + 1;
      chain = chain.compose(v -> conn.preparedQuery(s.credential() ? credential : setting)
          .execute(s.credential() ? Tuple.of(next.encrypt(s.plain()), Long.parseLong(s.id())) : Tuple.of(next.encrypt(s.plain()), s.id()))
          .map(rows -> {
            step.written(count);
            return null;
          }));
    }
    return chain;
  }

  /** Reads every secret back inside the transaction and opens it with the new key. */
  private static Future<Void> verify(SqlConnection conn, Dialect dialect, SecretBox next, List<Secret> all) {
    String credential = dialect.sql("SELECT secret_enc AS v FROM credentials WHERE id = ?");
    String setting = dialect.sql("SELECT value AS v FROM settings WHERE name = ?");
    Future<Void> chain = Future.succeededFuture();
    for (Secret s : all) {
      chain = chain.compose(v -> conn.preparedQuery(s.credential() ? credential : setting)
          .execute(s.credential() ? Tuple.of(Long.parseLong(s.id())) : Tuple.of(s.id()))
          .map(rows -> {
            String back = rows.iterator().hasNext() ? rows.iterator().next().getString("v") : null;
            String plain;
            try {
              plain = back == null ? null : next.decrypt(back);
            } catch (IllegalArgumentException e) {
              plain = null;
            }
            if (!s.plain().equals(plain)) {
              throw new IllegalStateException((s.credential() ? "credential " : "setting ") + s.id()
                  + " did not read back under the new key; nothing was changed");
            }
            return null;
          }));
    }
    return chain;
  }
}
