package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.pricing.PriceVersion;
import dev.switchboard.stats.RequestQuery;
import dev.switchboard.stats.UsageQuery;
import dev.switchboard.stats.UsageRecord;
import dev.switchboard.stats.UsageTotals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The gateway's persistence: channels with their credentials, client keys, usage records and
 * settings, over one Vert.x SQL {@code Pool} for SQLite, PostgreSQL or MySQL/MariaDB. No call
 * blocks an event loop; migrations run when the store opens.
 */
public interface Store {

  /** Opens the pool, applies pending migrations and returns the ready store. */
  static Future<Store> open(Vertx vertx, SwitchboardConfig.Database config, SecretBox secrets) {
    return SqlStore.open(vertx, config, secrets);
  }

  /** A short description for logs, without credentials: {@code sqlite data/switchboard.db}. */
  String describe();

  /** Every channel with its credentials decrypted. */
  Future<List<Channel>> channels();

  /** Every client key (hashes only). */
  Future<List<ClientKey>> clientKeys();

  /**
   * Makes the stored {@code source = 'config'} channels exactly the declared ones: inserts
   * new, updates changed (by name), deletes those no longer declared. Secrets are stored
   * encrypted. Channels managed at run time are left alone.
   */
  Future<Void> syncDeclaredChannels(List<SwitchboardConfig.ChannelConfig> declared);

  /** Same for declared client keys; a plaintext key is stored only as its SHA-256. */
  Future<Void> syncDeclaredKeys(List<SwitchboardConfig.ApiKeyConfig> declared);

  /**
   * Writes records in one transaction with a batched statement, adding their sums to the hourly
   * rollups in the same transaction.
   */
  Future<Void> insertUsage(List<UsageRecord> records);

  /**
   * Per client key: the cost since {@code dayStartMs} and since {@code monthStartMs} (from the
   * hourly rollups, which outlive the records; both must be hour boundaries) and the requests
   * admitted since {@code dayStartMs} (from the records). One query per kind, keys without usage absent.
   */
  Future<List<KeyUsage>> keyUsage(long dayStartMs, long monthStartMs);

  /** Deletes usage records older than {@code cutoffMs} (the hourly rollups stay); completes with how many. */
  Future<Integer> deleteUsageBefore(long cutoffMs);

  /** Hourly totals from the rollups, oldest hour first; hours without requests are absent. */
  Future<List<UsageTotals>> usageSeries(UsageQuery query);

  /** Totals per client key, channel or model over the query's hours, costliest first. */
  Future<List<UsageTotals>> usageBreakdown(UsageQuery query, UsageQuery.By by);

  /** A page of the request log: usage records newest first, without their trails. */
  Future<AdminStore.Page<UsageRecord>> requests(RequestQuery query);

  /** One request's usage record with its routing trail (the newest with that id), or null. */
  Future<UsageRecord> request(String requestId);

  /** Every stored price version. */
  Future<List<PriceVersion>> prices();

  /** Appends price versions in one transaction ({@code id}s are assigned by the database). */
  Future<Void> insertPrices(List<PriceVersion> versions);

  /** Deletes hourly rollups of hours before {@code cutoffMs}; completes with how many rows. */
  Future<Integer> deleteRollupsBefore(long cutoffMs);

  /** What every channel with a quota has used, as all instances added it. */
  Future<List<ChannelSpend>> channelSpend();

  /** Adds what channels used since the last call, in one transaction (a batch, not a write per request). */
  Future<Void> addChannelSpend(List<ChannelSpend> deltas);

  /** What every credential with a quota has used, as all instances added it. */
  Future<List<CredentialSpend>> credentialSpend();

  /** Adds what credentials used since the last call, in one transaction. */
  Future<Void> addCredentialSpend(List<CredentialSpend> deltas);

  /** Forgets what the channel has used: its quotas are whole again. */
  Future<Void> resetChannelSpend(long channelId);

  /** Forgets what the credential has used: its quotas are whole again. */
  Future<Void> resetCredentialSpend(long credentialId);

  /** How many usage records are stored. */
  Future<Long> countUsage();

  Future<String> setting(String name);

  Future<Void> putSetting(String name, String value);

  /** Users, sessions, run-time channels and keys, settings and the audit log of the management API. */
  AdminStore admin();

  /** Cheap round trip to the database, for readiness. */
  Future<Void> ping();

  Future<Void> close();
}
