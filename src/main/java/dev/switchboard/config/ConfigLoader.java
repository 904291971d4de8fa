package dev.switchboard.config;

import dev.switchboard.config.SwitchboardConfig.ApiKeyConfig;
import dev.switchboard.config.SwitchboardConfig.ChannelConfig;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code switchboard.yaml}, applies environment overrides and interpolation, fills
 * defaults and validates everything, failing with a {@link ConfigException} that names the key.
 */
public final class ConfigLoader {

  private static final Set<String> DATABASE_TYPES = Set.of("sqlite", "postgres", "mysql");

  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {}

  /**
   * Loads the file (parsed off the event loop by vertx-config). A missing file is an error when
   * {@code required}, otherwise the defaults apply.
   */
  public static Future<SwitchboardConfig> load(Vertx vertx, String file, boolean required, Map<String, String> env) {
    return vertx.fileSystem().exists(file).compose(exists -> {
      if (!exists) {
        if (required) {
          return Future.failedFuture(new ConfigException("--config", "file " + file + " does not exist"));
        }
        return Future.succeededFuture(new JsonObject());
      }
      ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
          .setScanPeriod(0)
          .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml").setConfig(new JsonObject().put("path", file))));
      return retriever.getConfig()
          .recover(err -> Future.failedFuture(new ConfigException(file, "is not valid YAML: " + firstLine(err.getMessage()))))
          .eventually(() -> { retriever.close(); return Future.succeededFuture(); });
    }).map(yaml -> parse(yaml, env));
  }

  /** Pure: YAML tree + environment in, validated configuration out. */
  public static SwitchboardConfig parse(JsonObject yaml, Map<String, String> env) {
    List<String> ignored = new ArrayList<>();
    JsonObject root = EnvOverrides.apply(yaml, env, ignored);
    if (!ignored.isEmpty()) {
      log.info("ignoring environment variables that name no configuration section: {}", ignored);
    }
    Section top = new Section("", root, Set.of("server", "database", "redis", "limits", "routing", "stats", "security", "pricing", "channels",
        "apiKeys", "management", "groups", "aliases"));

    Section s = Section.of("server", top.raw("server"), EnvOverrides.SECTIONS.get("server"));
    var server = new SwitchboardConfig.Server(s.string("host", "0.0.0.0"), s.integer("port", 8080, 0, 65535),
        s.integer("instances", 0, 0, 256), s.millis("shutdownGrace", 30_000), s.millis("keepAlive", 15_000));

    Section d = Section.of("database", top.raw("database"), EnvOverrides.SECTIONS.get("database"));
    String dbType = d.string("type", "sqlite").toLowerCase(Locale.ROOT);
    if (!DATABASE_TYPES.contains(dbType)) {
      throw new ConfigException("database.type", "must be one of sqlite, postgres, mysql, got '" + dbType + "'");
    }
    String dbUrl = d.string("url", dbType.equals("sqlite") ? "data/switchboard.db" : null);
    if (dbUrl == null) {
      throw new ConfigException("database.url", "is required for " + dbType);
    }
    if (dbType.equals("postgres") && !(dbUrl.startsWith("postgresql://") || dbUrl.startsWith("postgres://"))) {
      throw new ConfigException("database.url", "must start with postgresql:// for type postgres");
    }
    if (dbType.equals("mysql") && !dbUrl.startsWith("mysql://")) {
      throw new ConfigException("database.url", "must start with mysql:// for type mysql");
    }
    var database = new SwitchboardConfig.Database(dbType, dbUrl, d.integer("poolSize", dbType.equals("sqlite") ? 4 : 8, 1, 512));

    Section r = Section.of("redis", top.raw("redis"), EnvOverrides.SECTIONS.get("redis"));
    String redisUrl = r.string("url", null);
    if (redisUrl != null && !(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"))) {
      throw new ConfigException("redis.url", "must start with redis:// or rediss://");
    }
    String redisPrefix = r.string("prefix", SwitchboardConfig.Redis.DEFAULT_PREFIX);
    if (!REDIS_PREFIX.matcher(redisPrefix).matches()) {
      throw new ConfigException("redis.prefix", "must be 1 to 64 letters, digits or _ . : - (no spaces or glob characters), got '"
          + redisPrefix + "'");
    }

    Section l = Section.of("limits", top.raw("limits"), EnvOverrides.SECTIONS.get("limits"));
    var limits = new SwitchboardConfig.Limits(l.bytes("maxBodyBytes", 20L * 1024 * 1024, 1024),
        (int) Math.min(Integer.MAX_VALUE, l.bytes("maxSseEventBytes", 1024 * 1024, 1024)));

    Section ro = Section.of("routing", top.raw("routing"), EnvOverrides.SECTIONS.get("routing"));
    var routing = new SwitchboardConfig.Routing(ro.integer("retries", 2, 0, 20), ro.millis("connectTimeout", 5_000),
        ro.millis("firstByteTimeout", 120_000), ro.millis("idleTimeout", 120_000), ro.millis("retryBackoff", 100),
        ro.millis("maxCooldown", 300_000), ro.integer("maxErrorCount", SwitchboardConfig.Routing.DEFAULT_MAX_ERROR_COUNT, 1, 1_000_000),
        Math.max(1, ro.millis("errorWindow", SwitchboardConfig.Routing.DEFAULT_ERROR_WINDOW_MS)),
        ro.millis("circuitOpen", SwitchboardConfig.Routing.DEFAULT_CIRCUIT_OPEN_MS),
        ro.millis("affinityTtl", SwitchboardConfig.Routing.DEFAULT_AFFINITY_TTL_MS), ro.millis("healthCheckInterval", 0));

    Section st = Section.of("stats", top.raw("stats"), EnvOverrides.SECTIONS.get("stats"));
    var stats = new SwitchboardConfig.Stats(Math.max(10, st.millis("flushInterval", 1_000)),
        st.integer("batchSize", 500, 1, 100_000), st.integer("queueCapacity", 100_000, 1, 10_000_000),
        st.integer("retentionDays", 0, 0, 36_500), st.integer("rollupRetentionDays", 0, 0, 36_500));

    Section se = Section.of("security", top.raw("security"), EnvOverrides.SECTIONS.get("security"));
    var security = new SwitchboardConfig.Security(se.string("masterKeyFile", "data/master.key"));

    List<ChannelConfig> channels = channels(top);
    return new SwitchboardConfig(server, database, new SwitchboardConfig.Redis(redisUrl, redisPrefix), limits, routing, stats,
        security, channels, apiKeys(top), PricingConfig.parse(top.raw("pricing")), management(top),
        GroupsLoader.groups(top, channels), GroupsLoader.aliases(top));
  }

  private static final java.util.regex.Pattern REDIS_PREFIX = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private static final Set<String> JWT_ALGORITHMS = Set.of("HS256", "RS256", "ES256");

  private static SwitchboardConfig.Management management(Section top) {
    Section m = Section.of("management", top.raw("management"), EnvOverrides.SECTIONS.get("management"));
    String alg = m.string("jwtAlgorithm", "HS256").toUpperCase(Locale.ROOT);
    if (!JWT_ALGORITHMS.contains(alg)) {
      throw new ConfigException("management.jwtAlgorithm", "must be one of HS256, RS256, ES256, got '" + alg + "'");
    }
    String privateKey = m.string("jwtPrivateKeyFile", null);
    String publicKey = m.string("jwtPublicKeyFile", null);
    if (!alg.equals("HS256") && (privateKey == null || publicKey == null)) {
      throw new ConfigException("management.jwtPrivateKeyFile", alg + " needs jwtPrivateKeyFile and jwtPublicKeyFile (PEM)");
    }
    long access = m.millis("accessTokenTtl", 15 * 60_000L);
    long refresh = m.millis("refreshTokenTtl", 7 * 24 * 3_600_000L);
    if (access < 10_000) {
      throw new ConfigException("management.accessTokenTtl", "must be at least 10s");
    }
    if (refresh < access) {
      throw new ConfigException("management.refreshTokenTtl", "must not be shorter than accessTokenTtl");
    }
    List<String> origins = new ArrayList<>();
    // from the environment the list arrives as one comma-separated string
    for (String item : m.strings("corsOrigins")) {
      for (String origin : item.split(",")) {
        String o = stripSlash(origin.trim());
        if (o.isEmpty()) continue;
        if (!o.equals("*")) checkUrl(m.key("corsOrigins"), o);
        origins.add(o);
      }
    }
    return new SwitchboardConfig.Management(m.bool("enabled", true), m.string("host", "0.0.0.0"),
        m.integer("port", 0, 0, 65535), alg, privateKey, publicKey, access, refresh, List.copyOf(origins),
        m.integer("loginMaxAttempts", 5, 1, 1000), Math.max(1_000, m.millis("loginWindow", 15 * 60_000L)),
        Math.max(1_000, m.millis("loginLockout", 15 * 60_000L)), m.bool("trustForwardedFor", false));
  }

  private static List<ChannelConfig> channels(Section top) {
    List<ChannelConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Object> items = top.list("channels");
    for (int i = 0; i < items.size(); i++) {
      Section c = Section.of("channels[" + i + "]", items.get(i),
          Set.of("name", "type", "baseUrls", "baseUrl", "keys", "key", "models", "modelMap", "priority", "weight",
              "enabled", "limits", "quota", "costQuota", "tags", "prefix", "cost"));
      String name = c.required("name");
      if (!names.add(name)) {
        throw new ConfigException(c.key("name"), "duplicate channel name '" + name + "'");
      }
      String type = c.string("type", "openai").toLowerCase(Locale.ROOT);
      UpstreamType upstreamType = UpstreamType.of(type);
      if (upstreamType == null) {
        throw new ConfigException(c.key("type"), "unsupported channel type '" + type + "' (supported: " + UpstreamType.ids() + ")");
      }
      List<String> baseUrls = new ArrayList<>(c.strings("baseUrls"));
      baseUrls.addAll(c.strings("baseUrl"));
      if (baseUrls.isEmpty() && upstreamType.defaultBaseUrl() != null) {
        baseUrls.add(upstreamType.defaultBaseUrl());
      }
      if (baseUrls.isEmpty()) {
        throw new ConfigException(c.key("baseUrls"), "at least one base URL is required for type " + type);
      }
      for (int j = 0; j < baseUrls.size(); j++) {
        String url = stripSlash(baseUrls.get(j));
        checkUrl(c.key("baseUrls") + "[" + j + "]", url);
        baseUrls.set(j, url);
      }
      List<String> keys = new ArrayList<>(c.strings("keys"));
      keys.addAll(c.strings("key"));
      // a key that interpolated to nothing (${VAR:-} with VAR unset) means "no key", not an empty secret
      keys.removeIf(String::isBlank);
      List<String> models = c.strings("models");
      Map<String, String> modelMap = c.stringMap("modelMap");
      if (models.isEmpty() && modelMap.isEmpty()) {
        throw new ConfigException(c.key("models"), "at least one model is required");
      }
      List<String> all = new ArrayList<>(models);
      modelMap.keySet().stream().filter(m -> !all.contains(m)).forEach(all::add);
      out.add(new ChannelConfig(name, type, List.copyOf(baseUrls), List.copyOf(keys), List.copyOf(all), modelMap,
          c.integer("priority", 0, -1_000_000, 1_000_000), c.integer("weight", 1, 1, 1_000_000), GroupsLoader.channelRules(c)));
    }
    return List.copyOf(out);
  }

  private static List<ApiKeyConfig> apiKeys(Section top) {
    List<ApiKeyConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Object> items = top.list("apiKeys");
    for (int i = 0; i < items.size(); i++) {
      Section k = Section.of("apiKeys[" + i + "]", items.get(i), Set.of("name", "key", "keySha256", "models", "limits", "expiresAt",
          "returnCost"));
      String name = k.required("name");
      if (!names.add(name)) {
        throw new ConfigException(k.key("name"), "duplicate key name '" + name + "'");
      }
      String key = k.string("key", null);
      String hash = k.string("keySha256", null);
      if ((key == null) == (hash == null)) {
        throw new ConfigException(k.key("key"), "give exactly one of key or keySha256");
      }
      if (key != null && key.length() < 16) {
        throw new ConfigException(k.key("key"), "must be at least 16 characters");
      }
      if (hash != null && !hash.matches("[0-9a-fA-F]{64}")) {
        throw new ConfigException(k.key("keySha256"), "must be 64 hexadecimal characters");
      }
      out.add(new ApiKeyConfig(name, key, hash == null ? null : hash.toLowerCase(Locale.ROOT), k.strings("models"),
          GroupsLoader.keyRules(k), k.bool("returnCost", false)));
    }
    return List.copyOf(out);
  }

  private static void checkUrl(String key, String url) {
    try {
      URI uri = URI.create(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(key, "must be an http:// or https:// URL, got '" + url + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, "is not a valid URL: '" + url + "'");
    }
  }

  private static String stripSlash(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static String firstLine(String s) {
    if (s == null) return "unreadable";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
