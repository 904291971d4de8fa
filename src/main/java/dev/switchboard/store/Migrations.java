package dev.switchboard.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema changes, applied in order when the store opens and recorded in
 * {@code schema_version}. Each migration runs in its own transaction together with its
 * version row, so a re-open applies nothing twice. MySQL commits DDL implicitly, so there the
 * statements are written to be re-runnable ({@code IF NOT EXISTS}) where MySQL allows it.
 * Append new migrations at the end (in version order); never edit an applied one. A pending
 * migration runs even when a higher number is recorded already.
 */
final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** One schema step; {@code statements} renders its DDL for a dialect. */
  record Migration(int version, String description, Function<Dialect, List<String>> statements) {}

  static final List<Migration> ALL = List.of(
      new Migration(1, "channels, credentials, api keys, usage records, settings",
          Migrations::initial),
      new Migration(2, "usage accounting: user, group, protocols, cache writes, cost; prices; hourly rollups",
          UsageMigration::statements),
      new Migration(3, "management: users, sessions, audit log, key expiry", Migrations::management),
      new Migration(4, "request log: routing trail per usage record, lookups by request id, key and channel", Migrations::requestLog),
      new Migration(5, "cost to clients per key; channel spend against quotas", Migrations::spend),
      new Migration(6, "groups and model aliases managed over the API", Migrations::routes),
      new Migration(7, "quotas on run-time channels and on credentials; credential spend", Migrations::quotas));

  private Migrations() {}

  /** Applies the pending migrations in order; completes with the resulting schema version. */
  static Future<Integer> apply(Pool pool, Dialect dialect) {
    return apply(pool, dialect, latest());
  }

  /** Applies the pending migrations up to {@code target} (tests build older schemas with it). */
  static Future<Integer> apply(Pool pool, Dialect dialect, int target) {
    return apply(pool, dialect, ALL, target);
  }

  /** Applies the migrations of {@code all} (in version order) not recorded yet, up to {@code target}. */
  static Future<Integer> apply(Pool pool, Dialect dialect, List<Migration> all, int target) {
    String createVersionTable = "CREATE TABLE IF NOT EXISTS schema_version ("
        + "version INTEGER PRIMARY KEY, description " + dialect.varchar(255) + " NOT NULL, "
        + "applied_at " + dialect.longType() + " NOT NULL)" + dialect.tableOptions();
    return pool.query(createVersionTable).execute()
        .compose(v -> pool.query("SELECT version FROM schema_version").execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          for (Row row : rows) applied.add(row.getInteger("version"));
          int current = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
          return applyFrom(pool, dialect, all, applied, current, 0, target);
        });
  }

  /** The newest version this build knows. */
  static int latest() {
    return ALL.stream().mapToInt(Migration::version).max().orElse(0);
  }

  /**
   * Applies, in version order, every migration not recorded yet: versions are numbered by
   * whoever wrote them and may arrive with gaps (6 before 4), so "newer than the highest applied"
   * would skip a late lower one.
   */
  private static Future<Integer> applyFrom(Pool pool, Dialect dialect, List<Migration> all, Set<Integer> applied,
      int current, int index, int target) {
    if (index == all.size() || all.get(index).version() > target) {
      return Future.succeededFuture(current);
    }
    Migration m = all.get(index);
    if (applied.contains(m.version())) {
      return applyFrom(pool, dialect, all, applied, current, index + 1, target);
    }
    return Transactions.run(pool, dialect, conn -> run(conn, dialect, m))
        .onSuccess(v -> LOG.info("Applied schema migration {}: {}", m.version(), m.description()))
        .compose(v -> applyFrom(pool, dialect, all, applied, Math.max(current, m.version()), index + 1, target));
  }

  private static Future<Void> run(SqlConnection conn, Dialect dialect, Migration m) {
    return Steps.each(m.statements().apply(dialect), sql -> conn.query(sql).execute())
        .compose(v -> conn
        .preparedQuery(dialect.sql(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)"))
        .execute(Tuple.of(m.version(), m.description(), System.currentTimeMillis()))
        .mapEmpty());
  }

  private static List<String> requestLog(Dialect d) {
    return List.of(
        // compact JSON bounded by RouteTrail (MySQL's TEXT holds 64 KiB only); null for records written before
        "ALTER TABLE usage_records ADD COLUMN trail " + (d == Dialect.MYSQL ? "MEDIUMTEXT" : "TEXT"),
        d.createIndex("usage_records_request", "usage_records", "request_id"),
        d.createIndex("usage_records_key_ts", "usage_records", "client_key_id, ts"),
        d.createIndex("usage_records_channel_ts", "usage_records", "channel_id, ts"));
  }

  /**
   * {@code api_keys.return_cost}: whether answers to the key carry their cost (null = no).
   * {@code channel_spend}: what each channel has used against its quotas, summed by every
   * instance in batches, so the quota left survives a restart.
   */
  private static List<String> spend(Dialect d) {
    String lng = d.longType();
    return List.of(
        "ALTER TABLE api_keys ADD COLUMN return_cost " + d.bool(),
        "CREATE TABLE IF NOT EXISTS channel_spend ("
            + "channel_id " + lng + " PRIMARY KEY, "
            + "tokens " + lng + " NOT NULL, "
            + "cost_nanos " + lng + " NOT NULL, "
            + "FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE)" + d.tableOptions());
  }

  /**
   * Quotas set over the API: {@code quota_tokens} and {@code cost_quota_nanos} (null = none) on
   * channels and credentials. {@code credential_spend}: what each credential has used against
   * its quotas, kept as {@code channel_spend} is.
   */
  private static List<String> quotas(Dialect d) {
    String lng = d.longType();
    return List.of(
        "ALTER TABLE channels ADD COLUMN quota_tokens " + lng,
        "ALTER TABLE channels ADD COLUMN cost_quota_nanos " + lng,
        "ALTER TABLE credentials ADD COLUMN quota_tokens " + lng,
        "ALTER TABLE credentials ADD COLUMN cost_quota_nanos " + lng,
        "CREATE TABLE IF NOT EXISTS credential_spend ("
            + "credential_id " + lng + " PRIMARY KEY, "
            + "tokens " + lng + " NOT NULL, "
            + "cost_nanos " + lng + " NOT NULL, "
            + "FOREIGN KEY (credential_id) REFERENCES credentials (id) ON DELETE CASCADE)" + d.tableOptions());
  }

  private static List<String> management(Dialect d) {
    String opts = d.tableOptions();
    String lng = d.longType();
    return List.of(
        "CREATE TABLE IF NOT EXISTS admin_users ("
            + "id " + d.identity() + ", "
            + "username " + d.varchar(191) + " NOT NULL UNIQUE, "
            + "password_hash " + d.varchar(255) + " NOT NULL, "
            + "role " + d.varchar(16) + " NOT NULL, "
            + "enabled " + d.bool() + " NOT NULL, "
            + "created_at " + lng + " NOT NULL, "
            + "updated_at " + lng + " NOT NULL)" + opts,
        "CREATE TABLE IF NOT EXISTS admin_sessions ("
            + "id " + d.varchar(64) + " PRIMARY KEY, "
            + "user_id " + lng + " NOT NULL, "
            + "created_at " + lng + " NOT NULL, "
            + "expires_at " + lng + " NOT NULL, "
            + "revoked " + d.bool() + " NOT NULL, "
            + "FOREIGN KEY (user_id) REFERENCES admin_users (id) ON DELETE CASCADE)" + opts,
        d.createIndex("admin_sessions_user", "admin_sessions", "user_id"),
        "CREATE TABLE IF NOT EXISTS audit_log ("
            + "id " + d.identity() + ", "
            + "ts " + lng + " NOT NULL, "
            + "actor " + d.varchar(191) + " NOT NULL, "
            + "action " + d.varchar(64) + " NOT NULL, "
            + "target " + d.varchar(255) + ", "
            + "remote " + d.varchar(64) + ", "
            + "details TEXT)" + opts,
        d.createIndex("audit_log_ts", "audit_log", "ts"),
        // null = never expires; the prefix is what a listing shows of a key created at run time
        "ALTER TABLE api_keys ADD COLUMN expires_at " + lng,
        "ALTER TABLE api_keys ADD COLUMN key_prefix " + d.varchar(32));
  }

  private static List<String> routes(Dialect d) {
    String opts = d.tableOptions();
    String lng = d.longType();
    return List.of(
        // definition: the group's aliases and tiers as JSON, members naming channels by id
        "CREATE TABLE IF NOT EXISTS route_groups ("
            + "id " + d.identity() + ", "
            + "name " + d.varchar(191) + " NOT NULL UNIQUE, "
            + "definition TEXT NOT NULL, "
            + "created_at " + lng + " NOT NULL, "
            + "updated_at " + lng + " NOT NULL)" + opts,
        "CREATE TABLE IF NOT EXISTS model_aliases ("
            + "id " + d.identity() + ", "
            + "alias " + d.varchar(191) + " NOT NULL UNIQUE, "
            + "model " + d.varchar(191) + " NOT NULL, "
            + "created_at " + lng + " NOT NULL, "
            + "updated_at " + lng + " NOT NULL)" + opts);
  }

  private static List<String> initial(Dialect d) {
    String opts = d.tableOptions();
    String lng = d.longType();
    String bool = d.bool();
    return List.of(
        "CREATE TABLE IF NOT EXISTS channels ("
            + "id " + d.identity() + ", "
            + "name " + d.varchar(191) + " NOT NULL UNIQUE, "
            + "type " + d.varchar(64) + " NOT NULL, "
            + "base_urls TEXT NOT NULL, "
            + "models TEXT NOT NULL, "
            + "model_map TEXT NOT NULL, "
            + "priority INTEGER NOT NULL, "
            + "weight INTEGER NOT NULL, "
            + "enabled " + bool + " NOT NULL, "
            + "source " + d.varchar(16) + " NOT NULL, "
            + "created_at " + lng + " NOT NULL, "
            + "updated_at " + lng + " NOT NULL)" + opts,
        "CREATE TABLE IF NOT EXISTS credentials ("
            + "id " + d.identity() + ", "
            + "channel_id " + lng + " NOT NULL, "
            + "secret_enc TEXT NOT NULL, "
            + "enabled " + bool + " NOT NULL, "
            + "created_at " + lng + " NOT NULL, "
            + "FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE)" + opts,
        d.createIndex("credentials_channel", "credentials", "channel_id"),
        "CREATE TABLE IF NOT EXISTS api_keys ("
            + "id " + d.identity() + ", "
            + "name " + d.varchar(191) + " NOT NULL, "
            + "key_hash " + d.varchar(64) + " NOT NULL UNIQUE, "
            + "models TEXT NOT NULL, "
            + "enabled " + bool + " NOT NULL, "
            + "source " + d.varchar(16) + " NOT NULL, "
            + "created_at " + lng + " NOT NULL)" + opts,
        "CREATE TABLE IF NOT EXISTS usage_records ("
            + "id " + d.identity() + ", "
            + "request_id " + d.varchar(128) + " NOT NULL, "
            + "ts " + lng + " NOT NULL, "
            + "client_key_id " + lng + " NOT NULL, "
            + "model " + d.varchar(191) + ", "
            + "channel_id " + lng + " NOT NULL, "
            + "credential_id " + lng + " NOT NULL, "
            + "upstream_model " + d.varchar(191) + ", "
            + "route " + d.varchar(64) + ", "
            + "streamed " + bool + " NOT NULL, "
            + "status INTEGER NOT NULL, "
            + "error_class " + d.varchar(64) + ", "
            + "attempts INTEGER NOT NULL, "
            + "input_tokens " + lng + " NOT NULL, "
            + "output_tokens " + lng + " NOT NULL, "
            + "cached_tokens " + lng + " NOT NULL, "
            + "reasoning_tokens " + lng + " NOT NULL, "
            + "latency_ms " + lng + " NOT NULL, "
            + "ttft_ms " + lng + " NOT NULL, "
            + "bytes_in " + lng + " NOT NULL, "
            + "bytes_out " + lng + " NOT NULL)" + opts,
        d.createIndex("usage_records_ts", "usage_records", "ts"),
        "CREATE TABLE IF NOT EXISTS settings ("
            + "name " + d.varchar(191) + " PRIMARY KEY, "
            + "value TEXT)" + opts);
  }
}
