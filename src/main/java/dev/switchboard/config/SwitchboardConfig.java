package dev.switchboard.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration, immutable. Built by {@link ConfigLoader} from YAML plus
 * environment overrides; every part of the gateway receives the slice it needs through its
 * constructor.
 */
public record SwitchboardConfig(
    Server server,
    Database database,
    Redis redis,
    Limits limits,
    Routing routing,
    Stats stats,
    Security security,
    List<ChannelConfig> channels,
    List<ApiKeyConfig> apiKeys,
    Pricing pricing,
    Management management,
    List<GroupConfig> groups,
    Map<String, String> aliases) {

  /** Without groups or aliases: every channel model is its own group, as before groups existed. */
  public SwitchboardConfig(Server server, Database database, Redis redis, Limits limits, Routing routing, Stats stats,
      Security security, List<ChannelConfig> channels, List<ApiKeyConfig> apiKeys, Pricing pricing, Management management) {
    this(server, database, redis, limits, routing, stats, security, channels, apiKeys, pricing, management, List.of(), Map.of());
  }

  /** Where the HTTP edge listens. {@code instances} 0 means one per event loop. */
  public record Server(String host, int port, int instances, long shutdownGraceMs, long keepAliveMs) {}

  /** {@code type} is sqlite, postgres or mysql; {@code url} a file path for SQLite. */
  public record Database(String type, String url, int poolSize) {
    public boolean isSqlite() {
      return "sqlite".equals(type);
    }
  }

  /**
   * Optional; {@code url} null when Redis is not used. {@code prefix} begins every key and the
   * health channel ({@code <prefix>lim:}, {@code <prefix>aff:}, {@code <prefix>health…}), so
   * deployments sharing a Redis keep apart.
   */
  public record Redis(String url, String prefix) {

    public static final String DEFAULT_PREFIX = "sb:";

    public Redis(String url) {
      this(url, DEFAULT_PREFIX);
    }
  }

  public record Limits(long maxBodyBytes, int maxSseEventBytes) {}

  /**
   * Retries are further attempts after the first one, each on a lease not yet tried.
   * {@code maxErrorCount} failures (5xx, timeouts, resets) of one credential and model within
   * {@code errorWindowMs} open its circuit for {@code circuitOpenMs} (doubled after each failed
   * probe, capped by {@code maxCooldownMs}); session bindings live {@code affinityTtlMs} (0 = off);
   * every {@code healthCheckIntervalMs} (0 = never) disabled credentials due for a probe are
   * checked without waiting for a client request.
   */
  public record Routing(
      int retries, long connectTimeoutMs, long firstByteTimeoutMs, long idleTimeoutMs,
      long retryBackoffMs, long maxCooldownMs, int maxErrorCount, long errorWindowMs, long circuitOpenMs,
      long affinityTtlMs, long healthCheckIntervalMs) {

    public static final int DEFAULT_MAX_ERROR_COUNT = 5;
    public static final long DEFAULT_ERROR_WINDOW_MS = 60_000;
    public static final long DEFAULT_CIRCUIT_OPEN_MS = 10_000;
    public static final long DEFAULT_AFFINITY_TTL_MS = 3_600_000;

    public Routing(int retries, long connectTimeoutMs, long firstByteTimeoutMs, long idleTimeoutMs,
        long retryBackoffMs, long maxCooldownMs) {
      this(retries, connectTimeoutMs, firstByteTimeoutMs, idleTimeoutMs, retryBackoffMs, maxCooldownMs,
          DEFAULT_MAX_ERROR_COUNT, DEFAULT_ERROR_WINDOW_MS, DEFAULT_CIRCUIT_OPEN_MS, DEFAULT_AFFINITY_TTL_MS);
    }

    /** Without active health checks. */
    public Routing(int retries, long connectTimeoutMs, long firstByteTimeoutMs, long idleTimeoutMs,
        long retryBackoffMs, long maxCooldownMs, int maxErrorCount, long errorWindowMs, long circuitOpenMs,
        long affinityTtlMs) {
      this(retries, connectTimeoutMs, firstByteTimeoutMs, idleTimeoutMs, retryBackoffMs, maxCooldownMs, maxErrorCount,
          errorWindowMs, circuitOpenMs, affinityTtlMs, 0);
    }
  }

  /**
   * {@code retentionDays} 0 keeps usage records forever; {@code rollupRetentionDays} 0 keeps the
   * hourly rollups forever.
   */
  public record Stats(long flushIntervalMs, int batchSize, int queueCapacity, int retentionDays, int rollupRetentionDays) {

    /** Rollups kept forever. */
    public Stats(long flushIntervalMs, int batchSize, int queueCapacity, int retentionDays) {
      this(flushIntervalMs, batchSize, queueCapacity, retentionDays, 0);
    }
  }

  /**
   * Prices: the operator's defaults per model, per-channel prices by channel name then model,
   * and the catalogue synced every {@code syncIntervalMs} from {@code catalogueUrl} (0: never).
   */
  public record Pricing(String catalogueUrl, long syncIntervalMs, Map<String, Price> models,
      Map<String, Map<String, Price>> channels) {}

  /** One model's prices per million tokens; {@code null} parts are not priced separately. */
  public record Price(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite5m,
      BigDecimal cacheWrite1h, BigDecimal reasoning) {}

  /** Where the master key for upstream secrets comes from when the environment has none. */
  public record Security(String masterKeyFile) {}

  /**
   * The management API under {@code /api/v1}. {@code port} 0 serves it on the gateway's own
   * listener; otherwise on a separate one at {@code host:port}. {@code jwtAlgorithm} HS256 uses a
   * generated secret kept encrypted in the database; RS256/ES256 read PEM key files.
   * {@code trustForwardedFor} takes the client address (audit log, login limits) from the last
   * {@code X-Forwarded-For} entry, as set by a reverse proxy in front.
   */
  public record Management(
      boolean enabled, String host, int port, String jwtAlgorithm, String jwtPrivateKeyFile,
      String jwtPublicKeyFile, long accessTokenTtlMs, long refreshTokenTtlMs, List<String> corsOrigins,
      int loginMaxAttempts, long loginWindowMs, long loginLockoutMs, boolean trustForwardedFor) {

    /** Whether the API has a listener of its own rather than the gateway's. */
    public boolean separateListener() {
      return port != 0;
    }
  }

  /**
   * A channel declared in YAML; read-only at run time. {@code models} may hold wildcards
   * ({@code gpt-4*}, {@code *}); {@code rules} are the routing attributes kept in memory only.
   */
  public record ChannelConfig(
      String name, String type, List<String> baseUrls, List<String> keys, List<String> models,
      Map<String, String> modelMap, int priority, int weight, ChannelRules rules) {

    public ChannelConfig(String name, String type, List<String> baseUrls, List<String> keys, List<String> models,
        Map<String, String> modelMap, int priority, int weight) {
      this(name, type, baseUrls, keys, models, modelMap, priority, weight, ChannelRules.DEFAULT);
    }
  }

  /** Request, token and daily caps; 0 means no cap. */
  public record Rates(long rpm, long tpm, long rpd) {
    public static final Rates NONE = new Rates(0, 0, 0);

    public boolean any() {
      return rpm > 0 || tpm > 0 || rpd > 0;
    }
  }

  /**
   * Routing attributes of a channel: {@code enabled} false takes it out of every route;
   * {@code limits} apply per credential; {@code quota} (tokens, -1 = none) feeds
   * {@code most_remaining}; {@code prefix} exposes its models only as {@code prefix/model};
   * {@code cost} is the relative price {@code lowest_cost} compares.
   */
  public record ChannelRules(boolean enabled, Rates limits, long quota, List<String> tags, String prefix, double cost,
      long costQuotaNanos) {
    public static final ChannelRules DEFAULT = new ChannelRules(true, Rates.NONE, -1, List.of(), null, 1.0);

    /** Without a cost quota. */
    public ChannelRules(boolean enabled, Rates limits, long quota, List<String> tags, String prefix, double cost) {
      this(enabled, limits, quota, tags, prefix, cost, -1);
    }
  }

  /** A client key declared in YAML: either the key itself or its SHA-256 in hex. */
  /** {@code returnCost}: whether answers to the key carry their cost (off by default). */
  public record ApiKeyConfig(String name, String key, String keySha256, List<String> models, KeyRules rules,
      boolean returnCost) {

    public ApiKeyConfig(String name, String key, String keySha256, List<String> models) {
      this(name, key, keySha256, models, KeyRules.NONE, false);
    }

    public ApiKeyConfig(String name, String key, String keySha256, List<String> models, KeyRules rules) {
      this(name, key, keySha256, models, rules, false);
    }
  }

  /**
   * Limits of one client key; 0 means none. Budgets are in cost units; {@code expiresAtMs} is
   * epoch milliseconds, 0 = never.
   */
  public record KeyRules(Rates rates, int maxConcurrent, double budgetPerDay, double budgetPerMonth, long expiresAtMs) {
    public static final KeyRules NONE = new KeyRules(Rates.NONE, 0, 0, 0, 0);
  }

  /**
   * An exposed model name served by members in failover tiers: the first tier with a usable
   * member wins, and each tier picks with its own strategy. {@code aliases} are other names.
   */
  public record GroupConfig(String name, List<String> aliases, List<TierConfig> tiers) {}

  public record TierConfig(String strategy, List<MemberConfig> members) {}

  /** One channel serving a group under {@code model}, the name its upstream knows. */
  public record MemberConfig(String channel, String model, int weight, double cost) {}
}
