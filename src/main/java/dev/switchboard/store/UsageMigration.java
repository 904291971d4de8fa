package dev.switchboard.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Migration 2: the usage record gains the end user, group, client and upstream protocols,
 * cache writes by lifetime, cost, price version and the estimated flag; {@code prices} holds
 * versioned per-model prices; {@code usage_hourly} the hourly rollups by key, channel and
 * model, filled from the records already stored.
 *
 * <p>Money is never a float: a cost is an integer in billionths of the currency
 * ({@code cost_nanos}, {@code NULL} when no price was known), a price a decimal string per
 * million tokens.
 */
final class UsageMigration {

  private UsageMigration() {}

  static List<String> statements(Dialect d) {
    String lng = d.longType();
    String opts = d.tableOptions();
    String falseValue = d == Dialect.SQLITE ? "0" : "FALSE";
    List<String> columns = List.of(
        "end_user " + d.varchar(191),
        "group_name " + d.varchar(191),
        "client_protocol " + d.varchar(32),
        "upstream_protocol " + d.varchar(32),
        "cache_write_5m_tokens " + lng + " NOT NULL DEFAULT 0",
        "cache_write_1h_tokens " + lng + " NOT NULL DEFAULT 0",
        "cost_nanos " + lng,
        "price_version " + lng,
        "estimated " + d.bool() + " NOT NULL DEFAULT " + falseValue);
    List<String> out = new ArrayList<>();
    if (d == Dialect.SQLITE) {
      // SQLite adds one column per statement
      for (String column : columns) {
        out.add("ALTER TABLE usage_records ADD COLUMN " + column);
      }
    } else {
      out.add("ALTER TABLE usage_records ADD COLUMN " + String.join(", ADD COLUMN ", columns));
    }
    out.add("CREATE TABLE IF NOT EXISTS prices ("
        + "id " + d.identity() + ", "
        + "scope " + d.varchar(16) + " NOT NULL, "
        + "channel_id " + lng + " NOT NULL, "
        + "model " + d.varchar(191) + " NOT NULL, "
        + "effective_from " + lng + " NOT NULL, "
        + "input " + d.varchar(40) + ", "
        + "output " + d.varchar(40) + ", "
        + "cache_read " + d.varchar(40) + ", "
        + "cache_write_5m " + d.varchar(40) + ", "
        + "cache_write_1h " + d.varchar(40) + ", "
        + "reasoning " + d.varchar(40) + ", "
        + "source " + d.varchar(191) + ", "
        + "created_at " + lng + " NOT NULL)" + opts);
    out.add(d.createIndex("prices_lookup", "prices", "scope, channel_id, model, effective_from"));
    out.add("CREATE TABLE IF NOT EXISTS usage_hourly ("
        + "hour_ts " + lng + " NOT NULL, "
        + "client_key_id " + lng + " NOT NULL, "
        + "channel_id " + lng + " NOT NULL, "
        + "model " + d.varchar(191) + " NOT NULL, "
        + "requests " + lng + " NOT NULL, "
        + "errors " + lng + " NOT NULL, "
        + "input_tokens " + lng + " NOT NULL, "
        + "output_tokens " + lng + " NOT NULL, "
        + "cached_tokens " + lng + " NOT NULL, "
        + "cache_write_5m_tokens " + lng + " NOT NULL, "
        + "cache_write_1h_tokens " + lng + " NOT NULL, "
        + "reasoning_tokens " + lng + " NOT NULL, "
        + "cost_nanos " + lng + " NOT NULL, "
        + "unpriced " + lng + " NOT NULL, "
        + "estimated " + lng + " NOT NULL, "
        + "latency_ms " + lng + " NOT NULL, "
        + "PRIMARY KEY (hour_ts, client_key_id, channel_id, model))" + opts);
    // records written before this migration count as unpriced in their hour
    out.add("INSERT INTO usage_hourly (hour_ts, client_key_id, channel_id, model, requests, errors,"
        + " input_tokens, output_tokens, cached_tokens, cache_write_5m_tokens, cache_write_1h_tokens,"
        + " reasoning_tokens, cost_nanos, unpriced, estimated, latency_ms)"
        + " SELECT ts - ts % 3600000, client_key_id, channel_id, COALESCE(model, ''), COUNT(*),"
        + " SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(input_tokens), SUM(output_tokens),"
        + " SUM(cached_tokens), 0, 0, SUM(reasoning_tokens), 0, COUNT(*), 0, SUM(latency_ms)"
        + " FROM usage_records GROUP BY ts - ts % 3600000, client_key_id, channel_id, COALESCE(model, '')");
    return out;
  }
}
