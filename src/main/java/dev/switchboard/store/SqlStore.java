package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.pricing.PriceVersion;
import dev.switchboard.stats.RequestQuery;
import dev.switchboard.stats.UsageQuery;
import dev.switchboard.stats.UsageRecord;
import dev.switchboard.stats.UsageTotals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Store} over one Vert.x SQL pool. SQL is written once with portable syntax and
 * {@code ?} placeholders; {@link Dialect} renders it for the configured database.
 */
final class SqlStore implements Store {

  private final Pool pool;
  private final Dialect dialect;
  private final SecretBox secrets;
  private final String description;
  private final UsageTables usage;
  private final PriceTable prices;
  private final RequestLog requests;
  private final String selectSetting;
  private final String upsertSetting;
  private final AdminStore admin;

  private SqlStore(Pool pool, Dialect dialect, SecretBox secrets, String description) {
    this.pool = pool;
    this.dialect = dialect;
    this.secrets = secrets;
    this.description = description;
    this.usage = new UsageTables(pool, dialect);
    this.prices = new PriceTable(pool, dialect);
    this.requests = new RequestLog(pool, dialect);
    this.selectSetting = dialect.sql("SELECT value FROM settings WHERE name = ?");
    this.upsertSetting = dialect.upsertSetting();
    this.admin = new SqlAdminStore(pool, dialect, secrets);
  }

  static Future<Store> open(Vertx vertx, SwitchboardConfig.Database config, SecretBox secrets) {
    Dialect dialect;
    String description;
    try {
      dialect = Dialect.of(config.type());
      description = Pools.describe(config);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Pools.create(vertx, config).compose(pool -> Migrations.apply(pool, dialect)
        .<Store>map(version -> new SqlStore(pool, dialect, secrets, description))
        .recover(err -> pool.close().transform(ignored -> Future.failedFuture(err))));
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public Future<List<Channel>> channels() {
    Future<RowSet<Row>> channels = pool.query("SELECT id, name, type, base_urls, models, model_map,"
        + " priority, weight, enabled, source, quota_tokens, cost_quota_nanos FROM channels ORDER BY id").execute();
    Future<RowSet<Row>> credentials = channels.compose(ignored -> pool
        .query("SELECT id, channel_id, secret_enc, enabled, quota_tokens, cost_quota_nanos FROM credentials ORDER BY id")
        .execute());
    return credentials.map(creds -> {
      Map<Long, List<Credential>> byChannel = new LinkedHashMap<>();
      for (Row row : creds) {
        long channelId = row.getLong("channel_id");
        byChannel.computeIfAbsent(channelId, k -> new ArrayList<>()).add(new Credential(
            row.getLong("id"), channelId, secrets.decrypt(row.getString("secret_enc")),
            Dialect.readFlag(row, "enabled"), orNone(row, "quota_tokens"), orNone(row, "cost_quota_nanos")));
      }
      List<Channel> out = new ArrayList<>();
      for (Row row : channels.result()) {
        long id = row.getLong("id");
        out.add(new Channel(id, row.getString("name"), row.getString("type"),
            Columns.decodeList(row.getString("base_urls")),
            Columns.decodeList(row.getString("models")),
            Columns.decodeMap(row.getString("model_map")), row.getInteger("priority"),
            row.getInteger("weight"), Dialect.readFlag(row, "enabled"), row.getString("source"),
            List.copyOf(byChannel.getOrDefault(id, List.of())), orNone(row, "quota_tokens"), orNone(row, "cost_quota_nanos")));
      }
      return out;
    });
  }

  /** A nullable quota column: -1 when null. */
  private static long orNone(Row row, String column) {
    return row.getValue(column) == null ? -1 : row.getLong(column);
  }

  @Override
  public Future<List<ClientKey>> clientKeys() {
    return pool
        .query("SELECT id, name, key_hash, models, enabled, source, expires_at, return_cost FROM api_keys ORDER BY id")
        .execute()
        .map(rows -> {
          List<ClientKey> out = new ArrayList<>();
          for (Row row : rows) {
            out.add(new ClientKey(row.getLong("id"), row.getString("name"),
                row.getString("key_hash"), Columns.decodeList(row.getString("models")),
                Dialect.readFlag(row, "enabled"), row.getString("source"),
                row.getValue("expires_at") == null ? 0 : row.getLong("expires_at"), Dialect.readFlag(row, "return_cost")));
          }
          return out;
        });
  }

  @Override
  public Future<Void> syncDeclaredChannels(List<SwitchboardConfig.ChannelConfig> declared) {
    return Transactions.run(pool, dialect,
        conn -> new ChannelSync(conn, dialect, secrets).run(declared));
  }

  @Override
  public Future<Void> syncDeclaredKeys(List<SwitchboardConfig.ApiKeyConfig> declared) {
    return Transactions.run(pool, dialect, conn -> new KeySync(conn, dialect).run(declared));
  }

  @Override
  public Future<Void> insertUsage(List<UsageRecord> records) {
    return usage.insert(records);
  }

  @Override
  public Future<List<KeyUsage>> keyUsage(long dayStartMs, long monthStartMs) {
    return usage.keyUsage(dayStartMs, monthStartMs);
  }

  @Override
  public Future<Integer> deleteUsageBefore(long cutoffMs) {
    return usage.deleteBefore(cutoffMs);
  }

  @Override
  public Future<Integer> deleteRollupsBefore(long cutoffMs) {
    return usage.deleteRollupsBefore(cutoffMs);
  }

  @Override
  public Future<List<ChannelSpend>> channelSpend() {
    return pool.query("SELECT channel_id, tokens, cost_nanos FROM channel_spend").execute().map(rows -> {
      List<ChannelSpend> out = new ArrayList<>();
      for (Row r : rows) out.add(new ChannelSpend(r.getLong("channel_id"), r.getLong("tokens"), r.getLong("cost_nanos")));
      return out;
    });
  }

  @Override
  public Future<Void> addChannelSpend(List<ChannelSpend> deltas) {
    if (deltas.isEmpty()) return Future.succeededFuture();
    List<Tuple> batch = new ArrayList<>();
    deltas.forEach(d -> batch.add(Tuple.of(d.channelId(), d.tokens(), d.costNanos())));
    String upsert = dialect.upsertAdding("channel_spend", List.of("channel_id"), List.of("tokens", "cost_nanos"));
    return Transactions.run(pool, dialect, conn -> conn.preparedQuery(upsert).executeBatch(batch).mapEmpty());
  }

  @Override
  public Future<List<CredentialSpend>> credentialSpend() {
    return pool.query("SELECT credential_id, tokens, cost_nanos FROM credential_spend").execute().map(rows -> {
      List<CredentialSpend> out = new ArrayList<>();
      for (Row r : rows) out.add(new CredentialSpend(r.getLong("credential_id"), r.getLong("tokens"), r.getLong("cost_nanos")));
      return out;
    });
  }

  @Override
  public Future<Void> addCredentialSpend(List<CredentialSpend> deltas) {
    if (deltas.isEmpty()) return Future.succeededFuture();
    List<Tuple> batch = new ArrayList<>();
    deltas.forEach(d -> batch.add(Tuple.of(d.credentialId(), d.tokens(), d.costNanos())));
    String upsert = dialect.upsertAdding("credential_spend", List.of("credential_id"), List.of("tokens", "cost_nanos"));
    return Transactions.run(pool, dialect, conn -> conn.preparedQuery(upsert).executeBatch(batch).mapEmpty());
  }

  @Override
  public Future<Void> resetChannelSpend(long channelId) {
    return pool.preparedQuery(dialect.sql("DELETE FROM channel_spend WHERE channel_id = ?")).execute(Tuple.of(channelId)).mapEmpty();
  }

  @Override
  public Future<Void> resetCredentialSpend(long credentialId) {
    return pool.preparedQuery(dialect.sql("DELETE FROM credential_spend WHERE credential_id = ?")).execute(Tuple.of(credentialId))
        .mapEmpty();
  }

  @Override
  public Future<List<UsageTotals>> usageSeries(UsageQuery query) {
    return usage.series(query);
  }

  @Override
  public Future<List<UsageTotals>> usageBreakdown(UsageQuery query, UsageQuery.By by) {
    return usage.breakdown(query, by);
  }

  @Override
  public Future<AdminStore.Page<UsageRecord>> requests(RequestQuery query) {
    return requests.page(query);
  }

  @Override
  public Future<UsageRecord> request(String requestId) {
    return requests.one(requestId);
  }

  @Override
  public Future<List<PriceVersion>> prices() {
    return prices.all();
  }

  @Override
  public Future<Void> insertPrices(List<PriceVersion> versions) {
    return prices.insert(versions);
  }

  @Override
  public Future<Long> countUsage() {
    return pool.query("SELECT COUNT(*) AS n FROM usage_records").execute()
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  @Override
  public Future<String> setting(String name) {
    return pool.preparedQuery(selectSetting).execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("value"));
  }

  @Override
  public Future<Void> putSetting(String name, String value) {
    return pool.preparedQuery(upsertSetting).execute(Tuple.of(name, value)).mapEmpty();
  }

  @Override
  public AdminStore admin() {
    return admin;
  }

  @Override
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }
}
