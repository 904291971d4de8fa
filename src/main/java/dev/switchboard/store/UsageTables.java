package dev.switchboard.store;

import dev.switchboard.stats.UsageQuery;
import dev.switchboard.stats.UsageRecord;
import dev.switchboard.stats.UsageTotals;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code usage_records} and its hourly rollups {@code usage_hourly}: a batch of records and the
 * sums it adds to each (hour, key, channel, model) are written in one transaction, so the
 * rollups always equal the records they were built from; queries read the rollups only.
 *
 * <p>A record's routing trail is a compact JSON column of its own row rather than a sibling
 * table: the same batched statement writes it (no second statement, no join to read it back),
 * retention deletes it with its record, and it is small (see {@code RouteTrail}'s bounds).
 */
final class UsageTables {

  static final long HOUR_MS = 3_600_000;

  private static final String INSERT = "INSERT INTO usage_records (request_id, ts,"
      + " client_key_id, model, channel_id, credential_id, upstream_model, route, streamed, status,"
      + " error_class, attempts, input_tokens, output_tokens, cached_tokens, reasoning_tokens,"
      + " latency_ms, ttft_ms, bytes_in, bytes_out, end_user, group_name, client_protocol,"
      + " upstream_protocol, cache_write_5m_tokens, cache_write_1h_tokens, cost_nanos, price_version,"
      + " estimated, trail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
      + " ?, ?, ?, ?, ?)";

  private static final List<String> ROLLUP_KEYS = List.of("hour_ts", "client_key_id", "channel_id", "model");
  private static final List<String> ROLLUP_SUMS = List.of("requests", "errors", "input_tokens", "output_tokens",
      "cached_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "reasoning_tokens", "cost_nanos",
      "unpriced", "estimated", "latency_ms");

  private final Pool pool;
  private final Dialect dialect;
  private final String insert;
  private final String upsertRollup;
  private final String deleteBefore;
  private final String deleteRollupsBefore;

  UsageTables(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
    this.insert = dialect.sql(INSERT);
    this.upsertRollup = dialect.upsertAdding("usage_hourly", ROLLUP_KEYS, ROLLUP_SUMS);
    this.deleteBefore = dialect.sql("DELETE FROM usage_records WHERE ts < ?");
    this.deleteRollupsBefore = dialect.sql("DELETE FROM usage_hourly WHERE hour_ts <= ?");
  }

  Future<Void> insert(List<UsageRecord> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(records.size());
    for (UsageRecord r : records) {
      rows.add(Tuple.tuple()
          .addString(r.requestId()).addLong(r.timestampMs()).addLong(r.clientKeyId())
          .addString(r.model()).addLong(r.channelId()).addLong(r.credentialId())
          .addString(r.upstreamModel()).addString(r.route())
          .addValue(dialect.flagParam(r.streamed()))
          .addInteger(r.status()).addString(r.errorClass()).addInteger(r.attempts())
          .addLong(r.inputTokens()).addLong(r.outputTokens()).addLong(r.cachedTokens())
          .addLong(r.reasoningTokens()).addLong(r.latencyMs()).addLong(r.ttftMs())
          .addLong(r.bytesIn()).addLong(r.bytesOut())
          .addString(r.user()).addString(r.group()).addString(r.clientProtocol())
          .addString(r.upstreamProtocol()).addLong(r.cacheWrite5mTokens()).addLong(r.cacheWrite1hTokens())
          .addValue(r.priced() ? Long.valueOf(r.costNanos()) : null)
          .addValue(r.priced() ? Long.valueOf(r.priceVersion()) : null)
          .addValue(dialect.flagParam(r.estimated()))
          .addString(r.trail() == null ? null : r.trail().encode()));
    }
    List<Tuple> sums = rollups(records);
    return Transactions.run(pool, dialect, conn -> conn.preparedQuery(insert).executeBatch(rows)
        .compose(v -> conn.preparedQuery(upsertRollup).executeBatch(sums))).mapEmpty();
  }

  private record RollupKey(long hour, long clientKeyId, long channelId, String model) {}

  private static final Comparator<RollupKey> KEY_ORDER = Comparator.comparingLong(RollupKey::hour)
      .thenComparingLong(RollupKey::clientKeyId).thenComparingLong(RollupKey::channelId)
      .thenComparing(RollupKey::model);

  /** One row of sums per (hour, key, channel, model), in key order so concurrent writers lock alike. */
  private static List<Tuple> rollups(List<UsageRecord> records) {
    Map<RollupKey, long[]> sums = new TreeMap<>(KEY_ORDER);
    for (UsageRecord r : records) {
      long hour = r.timestampMs() - Math.floorMod(r.timestampMs(), HOUR_MS);
      RollupKey key = new RollupKey(hour, r.clientKeyId(), r.channelId(), r.model() == null ? "" : r.model());
      long[] s = sums.computeIfAbsent(key, k -> new long[ROLLUP_SUMS.size()]);
      s[0]++;
      s[1] += r.status() >= 400 ? 1 : 0;
      s[2] += r.inputTokens();
      s[3] += r.outputTokens();
      s[4] += r.cachedTokens();
      s[5] += r.cacheWrite5mTokens();
      s[6] += r.cacheWrite1hTokens();
      s[7] += r.reasoningTokens();
      s[8] += r.priced() ? r.costNanos() : 0;
      s[9] += r.priced() ? 0 : 1;
      s[10] += r.estimated() ? 1 : 0;
      s[11] += Math.max(0, r.latencyMs());
    }
    List<Tuple> out = new ArrayList<>(sums.size());
    sums.forEach((k, s) -> {
      Tuple t = Tuple.tuple().addLong(k.hour()).addLong(k.clientKeyId()).addLong(k.channelId()).addString(k.model());
      for (long v : s) t.addLong(v);
      out.add(t);
    });
    return out;
  }

  /**
   * Requests the edge refused before routing, as it records them: over a limit or budget (429),
   * an expired key (401), a model the key may not use (404); requests refused before that (bad
   * body, unknown model) have no model. Neither was counted by a key's rpd.
   */
  private static final String ADMITTED = "model IS NOT NULL"
      + " AND NOT (status = 429 AND COALESCE(error_class, '') IN ('rate_limit_exceeded', 'budget_exceeded'))"
      + " AND NOT (status = 401 AND COALESCE(error_class, '') = 'key_expired')"
      + " AND NOT (status = 404 AND COALESCE(error_class, '') = 'model_not_found')";

  Future<List<KeyUsage>> keyUsage(long dayStartMs, long monthStartMs) {
    String cost = dialect.sql("SELECT client_key_id, SUM(CASE WHEN hour_ts >= ? THEN cost_nanos ELSE 0 END) AS s_day,"
        + " SUM(cost_nanos) AS s_month FROM usage_hourly WHERE hour_ts >= ? AND client_key_id > 0 GROUP BY client_key_id");
    String admitted = dialect.sql("SELECT client_key_id, COUNT(*) AS s_requests FROM usage_records"
        + " WHERE ts >= ? AND client_key_id > 0 AND " + ADMITTED + " GROUP BY client_key_id");
    Future<RowSet<Row>> costs = pool.preparedQuery(cost).execute(Tuple.of(dayStartMs, monthStartMs));
    Future<RowSet<Row>> requests = costs.compose(x -> pool.preparedQuery(admitted).execute(Tuple.of(dayStartMs)));
    return requests.map(counts -> {
      Map<Long, long[]> byKey = new TreeMap<>();
      for (Row row : costs.result()) {
        long[] u = byKey.computeIfAbsent(row.getLong("client_key_id"), k -> new long[3]);
        u[0] = sum(row, "day");
        u[1] = sum(row, "month");
      }
      for (Row row : counts) {
        byKey.computeIfAbsent(row.getLong("client_key_id"), k -> new long[3])[2] = sum(row, "requests");
      }
      List<KeyUsage> out = new ArrayList<>(byKey.size());
      byKey.forEach((id, u) -> out.add(new KeyUsage(id, u[0], u[1], u[2])));
      return out;
    });
  }

  /** Deletes raw records older than {@code cutoffMs}; rollups stay. Completes with how many went. */
  Future<Integer> deleteBefore(long cutoffMs) {
    return pool.preparedQuery(deleteBefore).execute(Tuple.of(cutoffMs)).map(RowSet::rowCount);
  }

  /** Rollups of the hours that had ended by {@code cutoffMs}; an hour still partly kept stays. */
  Future<Integer> deleteRollupsBefore(long cutoffMs) {
    return pool.preparedQuery(deleteRollupsBefore).execute(Tuple.of(cutoffMs - HOUR_MS)).map(RowSet::rowCount);
  }

  Future<List<UsageTotals>> series(UsageQuery q) {
    return select("hour_ts", q).map(rows -> {
      List<UsageTotals> out = new ArrayList<>();
      for (Row row : rows) out.add(totals(row, row.getLong("hour_ts"), -1, -1, null));
      return out;
    });
  }

  Future<List<UsageTotals>> breakdown(UsageQuery q, UsageQuery.By by) {
    return select(by.column(), q).map(rows -> {
      List<UsageTotals> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(totals(row, -1,
            by == UsageQuery.By.KEY ? row.getLong("client_key_id") : -1,
            by == UsageQuery.By.CHANNEL ? row.getLong("channel_id") : -1,
            by == UsageQuery.By.MODEL ? row.getString("model") : null));
      }
      return out;
    });
  }

  /** Sums grouped by one rollup column; a series in time order, a breakdown costliest first. */
  private Future<RowSet<Row>> select(String groupColumn, UsageQuery q) {
    StringBuilder sql = new StringBuilder("SELECT ").append(groupColumn);
    for (String s : ROLLUP_SUMS) sql.append(", SUM(").append(s).append(") AS s_").append(s);
    sql.append(" FROM usage_hourly WHERE hour_ts >= ? AND hour_ts < ?");
    Tuple params = Tuple.of(q.fromMs(), q.toMs());
    if (q.clientKeyId() != null) {
      sql.append(" AND client_key_id = ?");
      params.addLong(q.clientKeyId());
    }
    if (q.channelId() != null) {
      sql.append(" AND channel_id = ?");
      params.addLong(q.channelId());
    }
    if (q.model() != null) {
      sql.append(" AND model = ?");
      params.addString(q.model());
    }
    sql.append(" GROUP BY ").append(groupColumn).append(" ORDER BY ");
    sql.append(groupColumn.equals("hour_ts") ? "hour_ts" : "s_cost_nanos DESC, s_requests DESC, " + groupColumn);
    return pool.preparedQuery(dialect.sql(sql.toString())).execute(params);
  }

  private static UsageTotals totals(Row row, long hour, long key, long channel, String model) {
    return new UsageTotals(hour, key, channel, model, sum(row, "requests"), sum(row, "errors"),
        sum(row, "input_tokens"), sum(row, "output_tokens"), sum(row, "cached_tokens"),
        sum(row, "cache_write_5m_tokens"), sum(row, "cache_write_1h_tokens"), sum(row, "reasoning_tokens"),
        sum(row, "cost_nanos"), sum(row, "unpriced"), sum(row, "estimated"), sum(row, "latency_ms"));
  }

  /** SUM is numeric on PostgreSQL and DECIMAL on MySQL: read any number. */
  private static long sum(Row row, String column) {
    Object v = row.getValue("s_" + column);
    return v instanceof Number n ? n.longValue() : 0;
  }
}
