package dev.switchboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.ApiKeyConfig;
import dev.switchboard.config.SwitchboardConfig.ChannelConfig;
import dev.switchboard.pricing.ModelPrice;
import dev.switchboard.pricing.PriceVersion;
import dev.switchboard.stats.Usage;
import dev.switchboard.stats.UsageQuery;
import dev.switchboard.stats.UsageRecord;
import dev.switchboard.stats.UsageTotals;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link Store} must do, whatever the database. Subclasses name the database and
 * how to empty it; tests run on the JUnit thread and block on futures with {@code await()}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
abstract class StoreContractTest {

  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 42);
  }

  protected static final SecretBox SECRETS = SecretBox.of(KEY);

  protected Vertx vertx;
  protected Store store;
  protected RawSql raw;

  /** The database under test. */
  protected abstract SwitchboardConfig.Database database();

  /** Leaves the database without any Switchboard table. */
  protected abstract void reset(Vertx vertx);

  /** Why this suite cannot run here (no server configured), or {@code null} when it can. */
  protected String skipNotice() {
    return null;
  }

  @BeforeEach
  void openStore(Vertx vertx) {
    assumeTrue(skipNotice() == null, skipNotice());
    this.vertx = vertx;
    reset(vertx);
    store = Store.open(vertx, database(), SECRETS).await();
    raw = new RawSql(Pools.create(vertx, database()).await(), Dialect.of(database().type()));
  }

  @AfterEach
  void closeStore() {
    if (raw != null) {
      raw.close();
    }
    if (store != null) {
      store.close().await();
    }
  }

  private static ChannelConfig channel(String name, List<String> keys, int weight) {
    return new ChannelConfig(name, "openai", List.of("https://" + name + ".example/v1"), keys,
        List.of("gpt-a", "gpt-b"), Map.of("gpt-a", "upstream-a"), 1, weight);
  }

  private Map<String, Channel> channelsByName() {
    return store.channels().await().stream().collect(Collectors.toMap(Channel::name, c -> c));
  }

  private static List<String> secrets(Channel channel) {
    return channel.credentials().stream().map(Credential::secret).collect(Collectors.toList());
  }

  private void insertRunTimeChannel(String name) {
    raw.query("INSERT INTO channels (name, type, base_urls, models, model_map, priority, weight,"
            + " enabled, source, created_at, updated_at) VALUES (?, 'openai', '[]', '[]', '{}', 0,"
            + " 1, ?, 'api', 0, 0)", name, raw.dialect().flagParam(true));
  }

  @Test
  void appliesMigrationsOnceAndReopensWithDataIntact() {
    List<Integer> versions = new ArrayList<>();
    raw.query("SELECT version FROM schema_version ORDER BY version")
        .forEach(row -> versions.add(row.getInteger("version")));
    assertEquals(Migrations.ALL.stream().map(Migrations.Migration::version).toList(), versions,
        "every migration once, whatever gaps the numbering has");
    store.putSetting("survives", "yes").await();
    store.close().await();

    store = Store.open(vertx, database(), SECRETS).await();
    assertEquals("yes", store.setting("survives").await());
    assertEquals(Migrations.ALL.size(), raw.count("SELECT COUNT(*) FROM schema_version"));
  }

  @Test
  void syncInsertsUpdatesAndDeletesDeclaredChannelsOnly() {
    store.syncDeclaredChannels(List.of(
        channel("alpha", List.of("sk-a1", "sk-a2"), 10),
        channel("beta", List.of("sk-b1"), 5))).await();
    insertRunTimeChannel("manual");
    Map<String, Channel> first = channelsByName();
    Channel alpha = first.get("alpha");
    assertEquals(List.of("https://alpha.example/v1"), alpha.baseUrls());
    assertEquals(List.of("gpt-a", "gpt-b"), alpha.models());
    assertEquals(Map.of("gpt-a", "upstream-a"), alpha.modelMap());
    assertEquals(10, alpha.weight());
    assertTrue(alpha.enabled());
    assertEquals("config", alpha.source());
    assertEquals(List.of("sk-a1", "sk-a2"), secrets(alpha));
    long betaId = first.get("beta").id();

    store.syncDeclaredChannels(List.of(
        channel("alpha", List.of("sk-a2", "sk-a3"), 20),
        channel("gamma", List.of(), 1))).await();
    Map<String, Channel> second = channelsByName();
    assertEquals(java.util.Set.of("alpha", "gamma", "manual"), second.keySet());
    Channel alpha2 = second.get("alpha");
    assertEquals(alpha.id(), alpha2.id());
    assertEquals(20, alpha2.weight());
    assertEquals(List.of("sk-a2", "sk-a3"), secrets(alpha2));
    assertEquals(alpha.credentials().get(1).id(), alpha2.credentials().get(0).id(),
        "an unchanged key keeps its credential id");
    assertEquals(0, raw.count("SELECT COUNT(*) FROM credentials WHERE channel_id = ?", betaId));
    assertEquals("api", second.get("manual").source());

    long updatedAt = raw.query("SELECT updated_at FROM channels WHERE name = 'alpha'")
        .iterator().next().getLong(0);
    store.syncDeclaredChannels(List.of(
        channel("alpha", List.of("sk-a2", "sk-a3"), 20),
        channel("gamma", List.of(), 1))).await();
    assertEquals(second, channelsByName(), "an unchanged declaration changes nothing");
    assertEquals(updatedAt, raw.query("SELECT updated_at FROM channels WHERE name = 'alpha'")
        .iterator().next().getLong(0));

    store.syncDeclaredChannels(List.of()).await();
    assertEquals(java.util.Set.of("manual"), channelsByName().keySet());
    assertEquals(0, raw.count("SELECT COUNT(*) FROM credentials"));
  }

  @Test
  void aDeclaredNameTakenByARunTimeChannelFailsTheWholeSync() {
    insertRunTimeChannel("taken");
    assertThrows(IllegalStateException.class, () -> store.syncDeclaredChannels(List.of(
        channel("fresh", List.of("sk-f"), 1),
        channel("taken", List.of("sk-t"), 1))).await());
    assertEquals(java.util.Set.of("taken"), channelsByName().keySet(), "rolled back");
    assertEquals(0, raw.count("SELECT COUNT(*) FROM credentials"));
  }

  @Test
  void storesUpstreamSecretsOnlyEncrypted() {
    store.syncDeclaredChannels(List.of(channel("alpha", List.of("sk-plaintext-secret"), 1))).await();
    String sealed = raw.query("SELECT secret_enc FROM credentials").iterator().next().getString(0);
    assertTrue(sealed.startsWith("v1:"));
    assertFalse(sealed.contains("sk-plaintext-secret"));
    assertEquals("sk-plaintext-secret", SECRETS.decrypt(sealed));
  }

  @Test
  void syncInsertsUpdatesAndDeletesDeclaredKeysStoringOnlyHashes() {
    String otherHash = KeyHash.sha256Hex("sk-other");
    store.syncDeclaredKeys(List.of(
        new ApiKeyConfig("one", "sk-client-one", null, List.of("gpt-a")),
        new ApiKeyConfig("two", null, otherHash.toUpperCase(), List.of()))).await();
    raw.query("INSERT INTO api_keys (name, key_hash, models, enabled, source, created_at)"
        + " VALUES ('manual', ?, '[]', ?, 'api', 0)", KeyHash.sha256Hex("sk-manual"),
        raw.dialect().flagParam(false));
    Map<String, ClientKey> keys = keysByName();
    ClientKey one = keys.get("one");
    assertEquals(KeyHash.sha256Hex("sk-client-one"), one.keyHash());
    assertTrue(one.allows("gpt-a"));
    assertFalse(one.allows("gpt-b"));
    assertTrue(one.enabled());
    assertEquals("config", one.source());
    assertEquals(otherHash, keys.get("two").keyHash());
    assertTrue(keys.get("two").allows("anything"));
    assertEquals(0, raw.count("SELECT COUNT(*) FROM api_keys WHERE key_hash = 'sk-client-one'"));

    store.syncDeclaredKeys(List.of(
        new ApiKeyConfig("one", "sk-client-one-rotated", null, List.of()))).await();
    Map<String, ClientKey> after = keysByName();
    assertEquals(java.util.Set.of("one", "manual"), after.keySet());
    assertEquals(one.id(), after.get("one").id());
    assertEquals(KeyHash.sha256Hex("sk-client-one-rotated"), after.get("one").keyHash());
    assertTrue(after.get("one").allows("gpt-b"));
    assertFalse(after.get("manual").enabled());
    assertEquals("api", after.get("manual").source());
  }

  private Map<String, ClientKey> keysByName() {
    return store.clientKeys().await().stream().collect(Collectors.toMap(ClientKey::name, k -> k));
  }

  @Test
  void rejectsMalformedKeyDeclarationsWithoutEchoingThem() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> store
        .syncDeclaredKeys(List.of(new ApiKeyConfig("bad", null, "zz-not-a-hash", List.of()))).await());
    assertFalse(bad.getMessage().contains("zz-not-a-hash"));
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> store
        .syncDeclaredKeys(List.of(new ApiKeyConfig("both", "sk-secret-both",
            KeyHash.sha256Hex("x"), List.of()))).await());
    assertFalse(both.getMessage().contains("sk-secret-both"));
    assertTrue(store.clientKeys().await().isEmpty());
  }

  private static UsageRecord usage(String requestId, boolean streamed) {
    return new UsageRecord(requestId, 1_700_000_000_000L, 3, "gpt-a", 4, 5, "upstream-a",
        "openai-chat", streamed, 200, null, 2, 100, 200, 30, 40, 1500, 250, 1024,
        5_000_000_000L);
  }

  @Test
  void insertsUsageInBatchesAndCountsThem() {
    store.insertUsage(List.of()).await();
    assertEquals(0L, store.countUsage().await());

    store.insertUsage(List.of(usage("r1", false), usage("r2", true), usage("r3", false))).await();
    assertEquals(3L, store.countUsage().await());
    store.insertUsage(List.of(usage("r4", true), usage("r5", true))).await();
    assertEquals(5L, store.countUsage().await());

    Row r2 = raw.query("SELECT * FROM usage_records WHERE request_id = ?", "r2").iterator().next();
    assertTrue(Dialect.readFlag(r2, "streamed"));
    assertEquals(1_700_000_000_000L, r2.getLong("ts"));
    assertEquals(3L, r2.getLong("client_key_id"));
    assertEquals("upstream-a", r2.getString("upstream_model"));
    assertEquals(200, r2.getInteger("status"));
    assertNull(r2.getValue("error_class"));
    assertEquals(40L, r2.getLong("reasoning_tokens"));
    assertEquals(250L, r2.getLong("ttft_ms"));
    assertEquals(5_000_000_000L, r2.getLong("bytes_out"));
    assertFalse(Dialect.readFlag(
        raw.query("SELECT streamed FROM usage_records WHERE request_id = 'r1'").iterator().next(),
        "streamed"));
  }

  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % HOUR; // an hour boundary

  /** A record with the accounting fields set: key, channel, model, time and cost. */
  private static UsageRecord priced(String id, long ts, long key, long channel, String model, long costNanos,
      int status) {
    return new UsageRecord(id, ts, key, model, channel, 5, model + "-up", "openai-chat", false, status,
        status >= 400 ? "upstream_" + status : null, 1, 1000, 100, 400, 10, 200, -1, 10, 20, "u-" + key, "g",
        "anthropic-messages", "openai-chat", 30, 20, costNanos, costNanos < 0 ? UsageRecord.UNPRICED : 77, false);
  }

  @Test
  void storesTheAccountingFieldsOfAUsageRecord() {
    UsageRecord r = priced("acc", T0 + 5, 3, 4, "gpt-a", 4_650_000L, 200);
    UsageRecord unpriced = priced("none", T0 + 6, 3, 4, "gpt-a", -1, 200).withUsage(
        new Usage(10, 5, 0, 0, 0, 0, true));
    store.insertUsage(List.of(r, unpriced)).await();
    Row row = raw.query("SELECT * FROM usage_records WHERE request_id = 'acc'").iterator().next();
    assertEquals("u-3", row.getString("end_user"));
    assertEquals("g", row.getString("group_name"));
    assertEquals("anthropic-messages", row.getString("client_protocol"));
    assertEquals("openai-chat", row.getString("upstream_protocol"));
    assertEquals(30L, row.getLong("cache_write_5m_tokens"));
    assertEquals(20L, row.getLong("cache_write_1h_tokens"));
    assertEquals(4_650_000L, row.getLong("cost_nanos"));
    assertEquals(77L, row.getLong("price_version"));
    assertFalse(Dialect.readFlag(row, "estimated"));
    Row none = raw.query("SELECT * FROM usage_records WHERE request_id = 'none'").iterator().next();
    assertNull(none.getValue("cost_nanos"), "no price: no cost rather than a zero cost");
    assertNull(none.getValue("price_version"));
    assertTrue(Dialect.readFlag(none, "estimated"));
  }

  @Test
  void rollsUsageUpByHourKeyChannelAndModelAcrossFlushes() {
    store.insertUsage(List.of(
        priced("a", T0 + 1, 1, 10, "m1", 1_000, 200),
        priced("b", T0 + 2, 1, 10, "m1", 2_000, 500),
        priced("c", T0 + HOUR - 1, 2, 10, "m1", 4_000, 200),
        priced("d", T0 + HOUR, 1, 10, "m1", 8_000, 200))).await();
    // a second flush into the same rollup rows adds to them
    store.insertUsage(List.of(
        priced("e", T0 + 3, 1, 10, "m1", 16_000, 200),
        priced("f", T0 + 4, 1, 20, "m2", -1, 200))).await();

    assertEquals(4, raw.count("SELECT COUNT(*) FROM usage_hourly"));
    Row a = raw.query("SELECT * FROM usage_hourly WHERE hour_ts = ? AND client_key_id = 1 AND channel_id = 10",
        T0).iterator().next();
    assertEquals(3L, a.getLong("requests"));
    assertEquals(1L, a.getLong("errors"));
    assertEquals(19_000L, a.getLong("cost_nanos"));
    assertEquals(3_000L, a.getLong("input_tokens"));
    assertEquals(90L, a.getLong("cache_write_5m_tokens"));
    assertEquals(0L, a.getLong("unpriced"));

    List<UsageTotals> series = store.usageSeries(
        UsageQuery.between(T0, T0 + 2 * HOUR)).await();
    assertEquals(List.of(T0, T0 + HOUR), series.stream().map(UsageTotals::hourMs).toList());
    assertEquals(5L, series.get(0).requests());
    assertEquals(23_000L, series.get(0).costNanos());
    assertEquals(1L, series.get(0).unpriced());
    assertEquals(1L, series.get(1).requests());
    assertEquals(new BigDecimal("0.000008000"), series.get(1).cost());

    var onlyKey2 = store.usageSeries(UsageQuery.between(T0, T0 + 2 * HOUR).key(2)).await();
    assertEquals(1, onlyKey2.size());
    assertEquals(4_000L, onlyKey2.get(0).costNanos());
    assertTrue(store.usageSeries(UsageQuery.between(T0 + 2 * HOUR, T0 + 3 * HOUR)).await()
        .isEmpty());

    var byKey = store.usageBreakdown(UsageQuery.between(T0, T0 + 2 * HOUR),
        UsageQuery.By.KEY).await();
    assertEquals(List.of(1L, 2L), byKey.stream().map(UsageTotals::clientKeyId).toList(),
        "costliest first");
    assertEquals(27_000L, byKey.get(0).costNanos());
    assertEquals(5L, byKey.get(0).requests());
    var byModel = store.usageBreakdown(UsageQuery.between(T0, T0 + HOUR),
        UsageQuery.By.MODEL).await();
    assertEquals(List.of("m1", "m2"), byModel.stream().map(UsageTotals::model).toList());
    assertEquals(4L, byModel.get(0).requests());
    var byChannel = store.usageBreakdown(UsageQuery.between(T0, T0 + 2 * HOUR).model("m2"),
        UsageQuery.By.CHANNEL).await();
    assertEquals(1, byChannel.size());
    assertEquals(20L, byChannel.get(0).channelId());
    assertEquals(1L, byChannel.get(0).unpriced());
  }

  @Test
  void retentionDeletesOldRecordsAndKeepsTheirRollups() {
    store.insertUsage(List.of(priced("old", T0, 1, 10, "m1", 5, 200), priced("new", T0 + 2 * HOUR, 1, 10, "m1", 7,
        200))).await();
    assertEquals(1, store.deleteUsageBefore(T0 + HOUR).await());
    assertEquals(1L, store.countUsage().await());
    assertEquals(0, raw.count("SELECT COUNT(*) FROM usage_records WHERE request_id = 'old'"));
    assertEquals(12L, store.usageBreakdown(UsageQuery.between(T0, T0 + 3 * HOUR),
        UsageQuery.By.MODEL).await().get(0).costNanos());
  }

  @Test
  void rollupRetentionDeletesOnlyHoursThatEndedBeforeTheCutoff() {
    store.insertUsage(List.of(priced("old", T0, 1, 10, "m1", 5, 200), priced("edge", T0 + HOUR + 10, 1, 10, "m1", 6, 200),
        priced("new", T0 + 3 * HOUR, 1, 10, "m1", 7, 200))).await();
    long hourOfOld = T0 - Math.floorMod(T0, HOUR);
    // the cutoff falls inside the second hour: that hour is partly kept, so its rollup stays
    assertEquals(1, store.deleteRollupsBefore(hourOfOld + 2 * HOUR - 1).await());
    assertEquals(13L, store.usageBreakdown(UsageQuery.between(T0 - HOUR, T0 + 4 * HOUR),
        UsageQuery.By.MODEL).await().get(0).costNanos());
    assertEquals(3L, store.countUsage().await(), "records are not rollups");
  }

  @Test
  void channelSpendIsAddedInBatchesAndReadBackAsSums() {
    store.syncDeclaredChannels(List.of(new SwitchboardConfig.ChannelConfig("spender", "openai", List.of("http://a"),
        List.of(), List.of("m"), Map.of(), 0, 1, SwitchboardConfig.ChannelRules.DEFAULT))).await();
    long id = store.channels().await().stream().filter(c -> c.name().equals("spender")).findFirst().orElseThrow().id();
    store.addChannelSpend(List.of(new ChannelSpend(id, 52, 210_000))).await();
    store.addChannelSpend(List.of(new ChannelSpend(id, 48, 190_000))).await();
    assertEquals(List.of(new ChannelSpend(id, 100, 400_000)), store.channelSpend().await());
    store.syncDeclaredChannels(List.of()).await();
    assertEquals(List.of(), store.channelSpend().await(), "a deleted channel's spend goes with it");
  }

  @Test
  void credentialQuotasAndSpendAreStoredAndResetAndGoWithTheirCredential() {
    store.syncDeclaredChannels(List.of(channel("pair", List.of("sk-first-credential-0001", "sk-second-credential-002"), 0))).await();
    List<Credential> creds = store.channels().await().get(0).credentials();
    long first = creds.get(0).id();
    long second = creds.get(1).id();
    assertEquals(-1, creds.get(0).quota(), "no quota until one is set");
    assertTrue(store.admin().setCredentialQuota(first, 1_000, 250_000_000).await());
    assertFalse(store.admin().setCredentialQuota(999_999, 1, 1).await(), "no such credential");

    store.addCredentialSpend(List.of(new CredentialSpend(first, 52, 210_000), new CredentialSpend(second, 7, 1))).await();
    store.addCredentialSpend(List.of(new CredentialSpend(first, 48, 190_000))).await();
    assertEquals(Map.of(first, new CredentialSpend(first, 100, 400_000), second, new CredentialSpend(second, 7, 1)),
        store.credentialSpend().await().stream().collect(Collectors.toMap(CredentialSpend::credentialId, c -> c)));

    store.resetCredentialSpend(second).await();
    assertEquals(List.of(new CredentialSpend(first, 100, 400_000)), store.credentialSpend().await(), "only the one reset");

    // a re-sync that keeps the first secret keeps its quota and count; the replaced one's go with it
    store.syncDeclaredChannels(List.of(channel("pair", List.of("sk-first-credential-0001", "sk-third-credential-0003"), 0))).await();
    Credential kept = store.channels().await().get(0).credentials().get(0);
    assertEquals(first, kept.id());
    assertEquals(1_000, kept.quota());
    assertEquals(250_000_000, kept.costQuotaNanos());
    assertEquals(List.of(new CredentialSpend(first, 100, 400_000)), store.credentialSpend().await());
    assertTrue(store.admin().setCredentialQuota(first, -1, -1).await());
    assertEquals(-1, store.channels().await().get(0).credentials().get(0).costQuotaNanos(), "cleared");
    store.syncDeclaredChannels(List.of()).await();
    assertEquals(List.of(), store.credentialSpend().await(), "a deleted credential's spend goes with it");
  }

  @Test
  void runTimeChannelQuotasAreStoredAndAChannelsSpendIsReset() {
    long id = store.admin().createChannel(new AdminStore.ChannelDraft("metered", "openai", List.of("http://a"), List.of("m"),
        Map.of(), 0, 1, true, List.of("sk-runtime-credential-01"), 5_000, 1_500_000_000L)).await();
    Channel stored = store.channels().await().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    assertEquals(5_000, stored.quota());
    assertEquals(1_500_000_000L, stored.costQuotaNanos());
    store.admin().updateChannel(id, new AdminStore.ChannelDraft("metered", "openai", List.of("http://a"), List.of("m"),
        Map.of(), 0, 1, true, null, -1, 2)).await();
    stored = store.channels().await().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    assertEquals(-1, stored.quota(), "cleared");
    assertEquals(2, stored.costQuotaNanos());

    store.addChannelSpend(List.of(new ChannelSpend(id, 10, 20))).await();
    store.resetChannelSpend(id).await();
    assertEquals(List.of(), store.channelSpend().await());
    store.addChannelSpend(List.of(new ChannelSpend(id, 3, 4))).await();
    assertEquals(List.of(new ChannelSpend(id, 3, 4)), store.channelSpend().await(), "counting starts again from zero");
  }

  @Test
  void aMigrationNumberedBelowOneAlreadyAppliedIsStillApplied() {
    // branches number their migrations apart; one merged later may be lower than what a database has
    Migrations.Migration late = new Migrations.Migration(Migrations.latest() + 1, "a late, lower-numbered step",
        d -> List.of("CREATE TABLE IF NOT EXISTS late_probe (id INTEGER PRIMARY KEY)" + d.tableOptions()));
    Migrations.Migration higher = new Migrations.Migration(Migrations.latest() + 2, "a higher step",
        d -> List.of("CREATE TABLE IF NOT EXISTS higher_probe (id INTEGER PRIMARY KEY)" + d.tableOptions()));
    List<Migrations.Migration> first = new ArrayList<>(Migrations.ALL);
    first.add(higher);
    List<Migrations.Migration> merged = new ArrayList<>(Migrations.ALL);
    merged.add(late);
    merged.add(higher);
    try {
      assertEquals(higher.version(), Migrations.apply(raw.pool(), raw.dialect(), first, Integer.MAX_VALUE).await());
      assertEquals(higher.version(), Migrations.apply(raw.pool(), raw.dialect(), merged, Integer.MAX_VALUE).await());
      assertEquals(0, raw.count("SELECT COUNT(*) FROM late_probe"), "the lower step ran after the higher one");
      assertEquals(1, raw.count("SELECT COUNT(*) FROM schema_version WHERE version = ?", late.version()));
      assertEquals(higher.version(), Migrations.apply(raw.pool(), raw.dialect(), merged, Integer.MAX_VALUE).await());
      assertEquals(Migrations.ALL.size() + 2, raw.count("SELECT COUNT(*) FROM schema_version"), "and nothing twice");
    } finally {
      raw.query("DROP TABLE IF EXISTS late_probe");
      raw.query("DROP TABLE IF EXISTS higher_probe");
      raw.query("DELETE FROM schema_version WHERE version > ?", Migrations.latest());
    }
  }

  @Test
  void storesPriceVersionsExactlyAndAppendOnly() {
    ModelPrice p1 = ModelPrice.of("3", "15")
        .withCacheRead("0.30").withCacheWrites("3.75", "6").withReasoning("0.0000001");
    store.insertPrices(List.of(
        PriceVersion.of(PriceVersion.Scope.CATALOGUE, 0, "m", 100,
            p1, "anthropic"),
        PriceVersion.of(PriceVersion.Scope.CHANNEL, 9, "m", 200,
            ModelPrice.WITHDRAWN, "config"))).await();
    var all = store.prices().await();
    assertEquals(2, all.size());
    var first = all.get(0);
    assertTrue(first.id() > 0);
    assertEquals(PriceVersion.Scope.CATALOGUE, first.scope());
    assertEquals(100L, first.effectiveFromMs());
    assertEquals(new BigDecimal("0.0000001"), first.price().reasoning());
    assertEquals(new BigDecimal("0.3"), first.price().cacheRead());
    assertTrue(first.price().samePrices(p1));
    assertEquals("anthropic", first.source());
    assertTrue(all.get(1).price().withdrawn());
    assertEquals(9L, all.get(1).channelId());
    assertNotEquals(first.id(), all.get(1).id());
  }

  @Test
  void migrationTwoUpgradesAVersionOneDatabaseKeepingItsData() {
    store.close().await();
    store = null;
    TestDatabases.dropAll(vertx, database());
    Pool pool = Pools.create(vertx, database()).await();
    try {
      assertEquals(1, Migrations.apply(pool, raw.dialect(), 1).await());
    } finally {
      pool.close().await();
    }
    raw.query("INSERT INTO usage_records (request_id, ts, client_key_id, model, channel_id, credential_id,"
        + " upstream_model, route, streamed, status, error_class, attempts, input_tokens, output_tokens,"
        + " cached_tokens, reasoning_tokens, latency_ms, ttft_ms, bytes_in, bytes_out) VALUES ('v1', ?, 3,"
        + " 'gpt-a', 4, 5, 'up', 'openai-chat', ?, 200, NULL, 1, 100, 20, 30, 0, 400, -1, 1, 2)",
        T0 + 10, raw.dialect().flagParam(false));
    raw.query("INSERT INTO settings (name, value) VALUES ('kept', 'yes')");

    store = Store.open(vertx, database(), SECRETS).await();
    assertEquals(Migrations.latest(), raw.count("SELECT MAX(version) FROM schema_version"));
    assertEquals("yes", store.setting("kept").await());
    Row old = raw.query("SELECT * FROM usage_records WHERE request_id = 'v1'").iterator().next();
    assertEquals(100L, old.getLong("input_tokens"));
    assertEquals(0L, old.getLong("cache_write_5m_tokens"));
    assertNull(old.getValue("cost_nanos"));
    assertFalse(Dialect.readFlag(old, "estimated"));
    var rolled = store.usageSeries(UsageQuery.between(T0, T0 + HOUR)).await();
    assertEquals(1, rolled.size(), "old records are rolled up by the migration");
    assertEquals(1L, rolled.get(0).requests());
    assertEquals(1L, rolled.get(0).unpriced());
    assertEquals(100L, rolled.get(0).inputTokens());

    store.insertUsage(List.of(priced("v2", T0 + 20, 3, 4, "gpt-a", 50, 200))).await();
    assertEquals(2L, store.countUsage().await());
    assertEquals(2L, store.usageSeries(UsageQuery.between(T0, T0 + HOUR)).await().get(0)
        .requests());
  }

  @Test
  void readsWritesAndOverwritesSettings() {
    assertNull(store.setting("missing").await());
    store.putSetting("theme", "dark").await();
    assertEquals("dark", store.setting("theme").await());
    store.putSetting("theme", "light").await();
    assertEquals("light", store.setting("theme").await());
    assertEquals(1, raw.count("SELECT COUNT(*) FROM settings WHERE name = 'theme'"));
  }

  @Test
  void plainWritesAfterATransactionAreCommittedForOtherConnections() {
    store.syncDeclaredKeys(List.of(new ApiKeyConfig("one", "sk-one", null, List.of()))).await();
    store.putSetting("after-tx", "visible").await();
    store.insertUsage(List.of(usage("r1", false))).await();
    store.putSetting("after-batch", "visible").await();
    assertEquals(2, raw.count("SELECT COUNT(*) FROM settings WHERE value = 'visible'"));
    assertEquals(1, raw.count("SELECT COUNT(*) FROM api_keys"));
  }

  @Test
  void pingsAndDescribesItselfWithoutCredentials() {
    store.ping().await();
    assertTrue(store.describe().startsWith(database().type() + " "), store.describe());
    assertFalse(store.describe().contains("@"), store.describe());
    assertNotEquals("", store.describe());
  }
}
