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
    Pricing pricing, Management management) {

  /** Where the HTTP edge listens. {@code instances} 0 means one per event loop. */
  public record Server(String host, int port, int instances, long shutdownGraceMs, long keepAliveMs) {}

  /** {@code type} is sqlite, postgres or mysql; {@code url} a file path for SQLite. */
  public record Database(String type, String url, int poolSize) {
    public boolean isSqlite() {
      return "sqlite".equals(type);
    }
  }

  /** Optional; {@code url} null when Redis is not used. */
  public record Redis(String url) {}

  public record Limits(long maxBodyBytes, int maxSseEventBytes) {}

  /** Retries are further attempts after the first one, each on a lease not yet tried. */
  public record Routing(
      int retries, long connectTimeoutMs, long firstByteTimeoutMs, long idleTimeoutMs,
      long retryBackoffMs, long maxCooldownMs) {}

  /** {@code retentionDays} 0 keeps usage records forever; the hourly rollups are always kept. */
  public record Stats(long flushIntervalMs, int batchSize, int queueCapacity, int retentionDays) {}

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

  /** A channel declared in YAML; read-only at run time. */
  public record ChannelConfig(
      String name, String type, List<String> baseUrls, List<String> keys, List<String> models,
      Map<String, String> modelMap, int priority, int weight) {}

  /** A client key declared in YAML: either the key itself or its SHA-256 in hex. */
  public record ApiKeyConfig(String name, String key, String keySha256, List<String> models) {}
}
