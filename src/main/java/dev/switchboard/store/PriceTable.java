package dev.switchboard.store;

import dev.switchboard.pricing.ModelPrice;
import dev.switchboard.pricing.PriceVersion;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** {@code prices}: append-only price versions, each price a decimal string per million tokens. */
final class PriceTable {

  private static final String INSERT = "INSERT INTO prices (scope, channel_id, model, effective_from, input,"
      + " output, cache_read, cache_write_5m, cache_write_1h, reasoning, source, created_at)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Pool pool;
  private final Dialect dialect;
  private final String insert;

  PriceTable(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
    this.insert = dialect.sql(INSERT);
  }

  Future<List<PriceVersion>> all() {
    return pool.query("SELECT id, scope, channel_id, model, effective_from, input, output, cache_read,"
        + " cache_write_5m, cache_write_1h, reasoning, source FROM prices ORDER BY id").execute().map(rows -> {
          List<PriceVersion> out = new ArrayList<>(rows.size());
          for (Row r : rows) {
            out.add(new PriceVersion(r.getLong("id"), PriceVersion.Scope.ofColumn(r.getString("scope")),
                r.getLong("channel_id"), r.getString("model"), r.getLong("effective_from"),
                new ModelPrice(dec(r, "input"), dec(r, "output"), dec(r, "cache_read"), dec(r, "cache_write_5m"),
                    dec(r, "cache_write_1h"), dec(r, "reasoning")), r.getString("source")));
          }
          return out;
        });
  }

  Future<Void> insert(List<PriceVersion> versions) {
    if (versions.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    List<Tuple> rows = new ArrayList<>(versions.size());
    for (PriceVersion v : versions) {
      ModelPrice p = v.price();
      rows.add(Tuple.tuple().addString(v.scope().column()).addLong(v.channelId()).addString(v.model())
          .addLong(v.effectiveFromMs()).addString(text(p.input())).addString(text(p.output()))
          .addString(text(p.cacheRead())).addString(text(p.cacheWrite5m())).addString(text(p.cacheWrite1h()))
          .addString(text(p.reasoning())).addString(v.source()).addLong(now));
    }
    return Transactions.run(pool, dialect, conn -> conn.preparedQuery(insert).executeBatch(rows)).mapEmpty();
  }

  private static String text(BigDecimal v) {
    return v == null ? null : v.toPlainString();
  }

  private static BigDecimal dec(Row row, String column) {
    String s = row.getString(column);
    return s == null ? null : new BigDecimal(s);
  }
}
