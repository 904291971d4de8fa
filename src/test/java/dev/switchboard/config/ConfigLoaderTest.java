package dev.switchboard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class ConfigLoaderTest {

  private static final String CHANNEL = """
      channels:
        - name: openai
          baseUrls: [https://api.openai.com/v1/]
          keys: [sk-a]
          models: [gpt-4o]
      """;

  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject yaml(String text) {
    Map<String, Object> map = new Yaml().load(text);
    return map == null ? new JsonObject() : new JsonObject(map);
  }

  private static SwitchboardConfig parse(String text) {
    return ConfigLoader.parse(yaml(text), Map.of());
  }

  private static SwitchboardConfig parse(String text, Map<String, String> env) {
    return ConfigLoader.parse(yaml(text), env);
  }

  /** Asserts that loading fails and that the message starts with the offending key path. */
  private static ConfigException rejects(String key, String text, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(text, env));
    assertTrue(e.getMessage().startsWith(key + ": "), () -> "expected the message to start with '" + key + ": ' but was: " + e.getMessage());
    return e;
  }

  private static ConfigException rejects(String key, String text) {
    return rejects(key, text, Map.of());
  }

  private SwitchboardConfig load(Path file, boolean required, Map<String, String> env) throws Exception {
    try {
      return ConfigLoader.load(vertx, file.toString(), required, env).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw e;
    }
  }

  @Test
  void anEmptyFileGivesTheDefaults() {
    SwitchboardConfig c = parse("");
    assertEquals(new SwitchboardConfig.Server("0.0.0.0", 8080, 0, 30_000, 15_000), c.server());
    assertEquals(new SwitchboardConfig.Database("sqlite", "data/switchboard.db", 4), c.database());
    assertTrue(c.database().isSqlite());
    assertNull(c.redis().url());
    assertEquals(new SwitchboardConfig.Limits(20L * 1024 * 1024, 1024 * 1024), c.limits());
    assertEquals(new SwitchboardConfig.Routing(2, 5_000, 120_000, 120_000, 100, 300_000), c.routing());
    assertEquals(new SwitchboardConfig.Stats(1_000, 500, 100_000, 0), c.stats());
    assertEquals("data/master.key", c.security().masterKeyFile());
    assertEquals(List.of(), c.channels());
    assertEquals(List.of(), c.apiKeys());
  }

  @Test
  void emptySectionsAlsoGiveTheDefaults() {
    assertEquals(parse(""), parse("server:\nlimits:\nrouting: {}\n"));
  }

  @Test
  void readsEverySectionInItsUnits() {
    SwitchboardConfig c = parse("""
        server: {host: 127.0.0.1, port: 9090, instances: 2, shutdownGrace: 5s}
        database: {type: Postgres, url: "postgresql://db/switchboard", poolSize: 16}
        redis: {url: "redis://cache:6379"}
        limits: {maxBodyBytes: 10MiB, maxSseEventBytes: 64KB}
        routing: {retries: 3, connectTimeout: 250ms, firstByteTimeout: 1m, idleTimeout: 90s, retryBackoff: 50, maxCooldown: 5m}
        stats: {flushInterval: 2s, batchSize: 100, queueCapacity: 1000}
        security: {masterKeyFile: /run/secrets/master}
        """);
    assertEquals(new SwitchboardConfig.Server("127.0.0.1", 9090, 2, 5_000, 15_000), c.server());
    assertEquals(new SwitchboardConfig.Database("postgres", "postgresql://db/switchboard", 16), c.database());
    assertEquals("redis://cache:6379", c.redis().url());
    assertEquals(new SwitchboardConfig.Limits(10L * 1024 * 1024, 64_000), c.limits());
    assertEquals(new SwitchboardConfig.Routing(3, 250, 60_000, 90_000, 50, 300_000), c.routing());
    assertEquals(new SwitchboardConfig.Stats(2_000, 100, 1000, 0), c.stats());
    assertEquals("/run/secrets/master", c.security().masterKeyFile());
  }

  @Test
  void readsPricesExactlyAsWritten() {
    SwitchboardConfig c = parse("""
        stats: {retentionDays: 30}
        pricing:
          catalogueUrl: http://127.0.0.1:9/api.json
          syncInterval: 0
          models:
            claude-sonnet-4-5: {input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: "6"}
            gemini-2.5-flash: {input: 0.0375, output: 0.6, reasoning: 3.5}
          channels:
            cheap:
              gpt-4o: {input: 2.5, output: 10}
        """);
    assertEquals(30, c.stats().retentionDays());
    assertEquals("http://127.0.0.1:9/api.json", c.pricing().catalogueUrl());
    assertEquals(0, c.pricing().syncIntervalMs());
    SwitchboardConfig.Price sonnet = c.pricing().models().get("claude-sonnet-4-5");
    assertEquals(0, new java.math.BigDecimal("0.3").compareTo(sonnet.cacheRead()));
    assertEquals(0, new java.math.BigDecimal("6").compareTo(sonnet.cacheWrite1h()));
    assertEquals("0.0375", c.pricing().models().get("gemini-2.5-flash").input().toPlainString());
    assertNull(c.pricing().models().get("gemini-2.5-flash").cacheRead());
    assertEquals("2.5", c.pricing().channels().get("cheap").get("gpt-4o").input().toPlainString());
    assertEquals("https://models.dev/api.json", parse("").pricing().catalogueUrl());
    assertEquals(12 * 3_600_000L, parse("").pricing().syncIntervalMs());
  }

  @Test
  void rejectsPricesThatAreMissingNegativeOrNotNumbers() {
    rejects("pricing.models.m.output", "pricing: {models: {m: {input: 1}}}");
    rejects("pricing.models.m.input", "pricing: {models: {m: {input: -1, output: 1}}}");
    rejects("pricing.channels.c.m.cacheRead", "pricing: {channels: {c: {m: {input: 1, output: 1, cacheRead: lots}}}}");
    rejects("pricing.models.m.cached", "pricing: {models: {m: {input: 1, output: 1, cached: 1}}}");
    rejects("pricing.catalogueUrl", "pricing: {catalogueUrl: 'ftp://x/api.json'}");
    rejects("pricing.syncInterval", "pricing: {syncInterval: 5s}");
    rejects("stats.retentionDays", "stats: {retentionDays: -1}");
  }

  @Test
  void aNetworkDatabaseGetsALargerDefaultPool() {
    assertEquals(8, parse("database: {type: mysql, url: 'mysql://db/sb'}").database().poolSize());
  }

  @Test
  void readsChannelsWithTrailingSlashesStrippedAndMappedModelsExposed() {
    SwitchboardConfig c = parse("""
        channels:
          - name: main
            baseUrls: [https://a.example/v1/, http://b.example:8000/v1]
            baseUrl: https://c.example/v1//
            keys: [sk-1, sk-2]
            key: sk-3
            models: [gpt-4o]
            modelMap: {fast: gpt-4o-mini}
            priority: 10
            weight: 3
          - name: backup
            baseUrl: http://localhost:11434/v1
            models: gpt-4o
        """);
    var main = c.channels().get(0);
    assertEquals("openai", main.type());
    assertEquals(List.of("https://a.example/v1", "http://b.example:8000/v1", "https://c.example/v1"), main.baseUrls());
    assertEquals(List.of("sk-1", "sk-2", "sk-3"), main.keys());
    assertEquals(List.of("gpt-4o", "fast"), main.models());
    assertEquals(Map.of("fast", "gpt-4o-mini"), main.modelMap());
    assertEquals(10, main.priority());
    assertEquals(3, main.weight());
    var backup = c.channels().get(1);
    assertEquals(List.of(), backup.keys());
    assertEquals(List.of("gpt-4o"), backup.models());
    assertEquals(0, backup.priority());
    assertEquals(1, backup.weight());
  }

  @Test
  void readsApiKeysGivenInTheClearOrAsAHash() {
    String hash = "AB".repeat(32);
    SwitchboardConfig c = parse("""
        apiKeys:
          - {name: alice, key: sk-alice-0123456789, models: [gpt-4o]}
          - {name: bob, keySha256: %s}
        """.formatted(hash));
    assertEquals(new SwitchboardConfig.ApiKeyConfig("alice", "sk-alice-0123456789", null, List.of("gpt-4o")), c.apiKeys().get(0));
    assertEquals(new SwitchboardConfig.ApiKeyConfig("bob", null, hash.toLowerCase(), List.of()), c.apiKeys().get(1));
  }

  @Test
  void rejectsUnknownKeysByTheirPath() {
    rejects("servr", "servr: {port: 1}");
    rejects("server.prot", "server: {prot: 1}");
    rejects("channels[0].nmae", "channels: [{nmae: x}]");
    rejects("apiKeys[0].secret", "apiKeys: [{name: a, secret: x}]");
  }

  @Test
  void rejectsBadServerValuesByKey() {
    rejects("server.port", "server: {port: 70000}");
    rejects("server.port", "server: {port: -1}");
    rejects("server.port", "server: {port: eighty}");
    rejects("server.instances", "server: {instances: 1000}");
    rejects("server.host", "server: {host: [a, b]}");
    rejects("server", "server: 8080");
  }

  @Test
  void rejectsBadDurationsAndSizesByKey() {
    rejects("server.shutdownGrace", "server: {shutdownGrace: soon}");
    rejects("routing.connectTimeout", "routing: {connectTimeout: -5s}");
    rejects("routing.idleTimeout", "routing: {idleTimeout: 5 minutes}");
    rejects("limits.maxBodyBytes", "limits: {maxBodyBytes: 10 parsecs}");
    rejects("limits.maxBodyBytes", "limits: {maxBodyBytes: 1.2.3MiB}");
    rejects("limits.maxBodyBytes", "limits: {maxBodyBytes: 512}");
    rejects("limits.maxSseEventBytes", "limits: {maxSseEventBytes: 1000B}");
  }

  @Test
  void rejectsBadDatabaseSettingsByKey() {
    rejects("database.type", "database: {type: oracle}");
    rejects("database.url", "database: {type: postgres}");
    rejects("database.url", "database: {type: postgres, url: 'mysql://db/x'}");
    rejects("database.url", "database: {type: mysql, url: 'jdbc:mysql://db/x'}");
    rejects("database.poolSize", "database: {poolSize: 0}");
    rejects("redis.url", "redis: {url: 'http://cache'}");
  }

  @Test
  void theRedisPrefixDefaultsToSbAndRejectsSpacesGlobCharactersAndLengthOver64() {
    assertEquals("sb:", parse("").redis().prefix());
    assertEquals("team-a:", parse("redis: {url: 'redis://cache', prefix: 'team-a:'}").redis().prefix());
    assertEquals("blue.", parse("", Map.of("SWITCHBOARD_REDIS_PREFIX", "blue.")).redis().prefix());
    assertEquals("sb:", parse("redis: {prefix: ''}").redis().prefix(), "empty is unset, as everywhere");
    rejects("redis.prefix", "redis: {prefix: 'a b:'}");
    rejects("redis.prefix", "redis: {prefix: 'sb*:'}");
    rejects("redis.prefix", "redis: {prefix: '" + "p".repeat(65) + "'}");
  }

  @Test
  void everyUpstreamTypeIsAcceptedAndVendorsGetTheirOwnBaseUrl() {
    var channels = parse("""
        channels:
          - {name: o, type: openai, models: [a]}
          - {name: r, type: openai-responses, models: [b]}
          - {name: an, type: Anthropic, models: [c]}
          - {name: g, type: gemini, models: [d]}
          - {name: az, type: azure-openai, baseUrl: 'https://res.openai.azure.com', models: [e]}
        """).channels();
    assertEquals(List.of("openai", "openai-responses", "anthropic", "gemini", "azure-openai"),
        channels.stream().map(SwitchboardConfig.ChannelConfig::type).toList());
    assertEquals(List.of("https://api.openai.com/v1"), channels.get(0).baseUrls());
    assertEquals(List.of("https://api.anthropic.com/v1"), channels.get(2).baseUrls());
    assertEquals(List.of("https://generativelanguage.googleapis.com/v1beta"), channels.get(3).baseUrls());
    assertEquals(List.of("https://res.openai.azure.com"), channels.get(4).baseUrls());
  }

  @Test
  void rejectsBadChannelsByIndexAndKey() {
    rejects("channels", "channels: {name: x}");
    rejects("channels[0]", "channels: [just-a-string]");
    rejects("channels[0].name", "channels: [{baseUrl: 'http://a', models: [m]}]");
    rejects("channels[1].name", CHANNEL + "  - {name: openai, baseUrl: 'http://b', models: [m]}\n");
    ConfigException type = rejects("channels[0].type", "channels: [{name: a, type: cohere, baseUrl: 'http://a', models: [m]}]");
    assertTrue(type.getMessage().contains("cohere") && type.getMessage().contains("anthropic"), type.getMessage());
    rejects("channels[0].baseUrls", "channels: [{name: a, type: azure-openai, models: [m]}]");
    rejects("channels[0].baseUrls[1]", "channels: [{name: a, baseUrls: ['http://a', 'ftp://b'], models: [m]}]");
    rejects("channels[0].baseUrls[0]", "channels: [{name: a, baseUrls: ['http://'], models: [m]}]");
    rejects("channels[0].baseUrls[0]", "channels: [{name: a, baseUrls: ['http://a b/'], models: [m]}]");
    rejects("channels[0].baseUrls[0]", "channels: [{name: a, baseUrls: [{url: 'http://a'}], models: [m]}]");
    rejects("channels[0].models", "channels: [{name: a, baseUrl: 'http://a'}]");
    rejects("channels[0].weight", "channels: [{name: a, baseUrl: 'http://a', models: [m], weight: 0}]");
    rejects("channels[0].modelMap", "channels: [{name: a, baseUrl: 'http://a', modelMap: [m]}]");
    rejects("channels[0].modelMap.fast", "channels: [{name: a, baseUrl: 'http://a', modelMap: {fast: }}]");
    rejects("channels[0].modelMap.fast", "channels: [{name: a, baseUrl: 'http://a', modelMap: {fast: [a, b]}}]");
    rejects("channels[0].modelMap.fast", "channels: [{name: a, baseUrl: 'http://a', modelMap: {fast: '  '}}]");
  }

  @Test
  void rejectsBadApiKeysByIndexAndKey() {
    rejects("apiKeys[0].name", "apiKeys: [{key: sk-0123456789abcdef}]");
    rejects("apiKeys[1].name", "apiKeys: [{name: a, key: sk-0123456789abcdef}, {name: a, key: sk-0123456789abcdeg}]");
    rejects("apiKeys[0].key", "apiKeys: [{name: a}]");
    rejects("apiKeys[0].key", "apiKeys: [{name: a, key: sk-0123456789abcdef, keySha256: %s}]".formatted("0".repeat(64)));
    rejects("apiKeys[0].key", "apiKeys: [{name: a, key: short}]");
    rejects("apiKeys[0].keySha256", "apiKeys: [{name: a, keySha256: abc}]");
  }

  @Test
  void environmentOverridesMatchKeysIgnoringCaseAndUnderscores() {
    SwitchboardConfig c = parse("server: {port: 9090}", Map.of(
        "SWITCHBOARD_SERVER_PORT", "7070",
        "SWITCHBOARD_LIMITS_MAX_BODY_BYTES", "1MiB",
        "SWITCHBOARD_ROUTING_MAXCOOLDOWN", "1m",
        "SWITCHBOARD_DATABASE_URL", "/var/lib/sb.db"));
    assertEquals(7070, c.server().port());
    assertEquals(1024 * 1024, c.limits().maxBodyBytes());
    assertEquals(60_000, c.routing().maxCooldownMs());
    assertEquals("/var/lib/sb.db", c.database().url());
  }

  @Test
  void environmentOverridesAreValidatedLikeTheFile() {
    rejects("server.port", "", Map.of("SWITCHBOARD_SERVER_PORT", "99999"));
  }

  @Test
  void rejectsAnUnknownKeyOfAKnownSectionByVariableName() {
    ConfigException e = rejects("SWITCHBOARD_SERVER_PROT", "", Map.of("SWITCHBOARD_SERVER_PROT", "1"));
    assertTrue(e.getMessage().contains("port"), e.getMessage());
    rejects("SWITCHBOARD_LIMITS_MAX_BODY", "", Map.of("SWITCHBOARD_LIMITS_MAX_BODY", "1MiB"));
  }

  @Test
  void ignoresSecretsTestSettingsAndOtherVariables() {
    SwitchboardConfig c = parse("", Map.of(
        "SWITCHBOARD_MASTER_KEY", "c2VjcmV0",
        "SWITCHBOARD_ADMIN_TOKEN", "t",
        "SWITCHBOARD_TEST_POSTGRES_URL", "postgresql://x",
        "PATH", "/usr/bin",
        "SERVER_PORT", "1"));
    assertEquals(parse(""), c);
  }

  @Test
  void ignoresVariablesThatNameNoSectionLikeKubernetesServiceLinks() {
    SwitchboardConfig c = parse("", Map.of(
        "SWITCHBOARD_PORT", "tcp://10.0.0.7:8080",
        "SWITCHBOARD_PORT_8080_TCP_ADDR", "10.0.0.7",
        "SWITCHBOARD_SERVICE_HOST", "10.0.0.7",
        "SWITCHBOARD_SERVR_PORT", "1"));
    assertEquals(parse(""), c);
  }

  @Test
  void aKeyThatInterpolatesToNothingMeansNoKey() {
    SwitchboardConfig c = parse(CHANNEL.replace("sk-a", "\"${OPENAI_KEY:-}\""));
    assertEquals(List.of(), c.channels().get(0).keys());
  }

  @Test
  void interpolatesVariablesWithAndWithoutDefaults() {
    SwitchboardConfig c = parse(CHANNEL.replace("sk-a", "\"${OPENAI_KEY}\"") + """
        database: {type: postgres, url: "postgresql://${DB_HOST:-localhost}:${DB_PORT:-5432}/sb"}
        server: {host: "${BIND:-0.0.0.0}"}
        """, Map.of("OPENAI_KEY", "sk-from-env", "DB_HOST", "db.internal"));
    assertEquals(List.of("sk-from-env"), c.channels().get(0).keys());
    assertEquals("postgresql://db.internal:5432/sb", c.database().url());
    assertEquals("0.0.0.0", c.server().host());
  }

  @Test
  void interpolatesInsideEnvironmentOverrides() {
    SwitchboardConfig c = parse("", Map.of("SWITCHBOARD_SERVER_HOST", "${HOST_IP}", "HOST_IP", "10.0.0.1"));
    assertEquals("10.0.0.1", c.server().host());
  }

  @Test
  void aMissingVariableNamesTheKeyAndTheVariable() {
    ConfigException e = rejects("channels[0].keys[0]", CHANNEL.replace("sk-a", "\"${OPENAI_KEY}\""));
    assertTrue(e.getMessage().contains("OPENAI_KEY"), e.getMessage());
    ConfigException nested = rejects("database.url", "database: {url: '${DB_FILE}'}");
    assertTrue(nested.getMessage().contains("DB_FILE"), nested.getMessage());
  }

  @Test
  void anEmptyVariableTakesTheDefaultAsInTheShell() {
    SwitchboardConfig c = parse("server: {host: '${BIND:-127.0.0.1}'}", Map.of("BIND", ""));
    assertEquals("127.0.0.1", c.server().host());
  }

  @Test
  void anOverrideOfASectionThatIsNotAMappingNamesTheSection() {
    rejects("server", "server: 8080", Map.of("SWITCHBOARD_SERVER_PORT", "9090"));
  }

  @Test
  void anUnterminatedReferenceNamesTheKey() {
    rejects("server.host", "server: {host: '${HOST'}");
  }

  @Test
  void durationsAcceptMillisecondsSecondsMinutesAndHours() {
    assertEquals(250, Units.millis("k", "250ms"));
    assertEquals(30_000, Units.millis("k", "30s"));
    assertEquals(1_500, Units.millis("k", "1.5s"));
    assertEquals(300_000, Units.millis("k", "5m"));
    assertEquals(7_200_000, Units.millis("k", "2h"));
    assertEquals(42, Units.millis("k", "42"));
    assertEquals(42, Units.millis("k", 42));
    assertEquals(100, Units.millis("k", " 100 MS "));
  }

  @Test
  void sizesAcceptDecimalAndBinaryUnits() {
    assertEquals(10L * 1024 * 1024, Units.bytes("k", "10MiB"));
    assertEquals(64_000, Units.bytes("k", "64KB"));
    assertEquals(64 * 1024, Units.bytes("k", "64KiB"));
    assertEquals(64 * 1024, Units.bytes("k", "64k"));
    assertEquals(2_000_000_000L, Units.bytes("k", "2GB"));
    assertEquals(3L * 1024 * 1024 * 1024, Units.bytes("k", "3GiB"));
    assertEquals(1536, Units.bytes("k", "1.5KiB"));
    assertEquals(100, Units.bytes("k", "100 B"));
    assertEquals(65536, Units.bytes("k", 65536));
  }

  @Test
  void badUnitsNameTheKey() {
    for (String bad : new String[] {"", "ms", "fast", "-1s", "1.2.3s"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> Units.millis("routing.idleTimeout", bad), bad);
      assertTrue(e.getMessage().startsWith("routing.idleTimeout: "), e.getMessage());
    }
    for (String bad : new String[] {"", "MiB", "10 parsecs", "-1", "1..2KB"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> Units.bytes("limits.maxBodyBytes", bad), bad);
      assertTrue(e.getMessage().startsWith("limits.maxBodyBytes: "), e.getMessage());
    }
  }

  @Test
  void loadsAYamlFileFromDisk() throws Exception {
    Path file = dir.resolve("switchboard.yaml");
    Files.writeString(file, CHANNEL + "limits:\n  maxBodyBytes: 10MiB\n");
    SwitchboardConfig c = load(file, true, Map.of("SWITCHBOARD_SERVER_PORT", "0"));
    assertEquals(0, c.server().port());
    assertEquals(10L * 1024 * 1024, c.limits().maxBodyBytes());
    assertEquals(List.of("https://api.openai.com/v1"), c.channels().get(0).baseUrls());
  }

  @Test
  void aMissingFileIsAnErrorOnlyWhenRequired() throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertEquals(parse(""), load(missing, false, Map.of()));
    ConfigException e = assertThrows(ConfigException.class, () -> load(missing, true, Map.of()));
    assertTrue(e.getMessage().startsWith("--config: "), e.getMessage());
  }

  @Test
  void invalidYamlNamesTheFile() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "server: {port: [\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(file, true, Map.of()));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
  }

  @Test
  void theShippedExamplesLoadWhenTheirVariablesAreSet() throws Exception {
    Path examples = Path.of("conf/examples");
    assumeTrue(Files.isDirectory(examples), "conf/examples is not in this checkout");
    Map<String, String> env = Map.of("APP_CLIENT_KEY", "sk-client-0123456789abcdef", "OPENAI_API_KEY", "sk-openai",
        "OPENROUTER_API_KEY", "sk-or", "PG_PASSWORD", "pw", "TEAM_KEY_SHA256", "0".repeat(64),
        "ANTHROPIC_API_KEY", "sk-ant", "GEMINI_API_KEY", "AIza-test");
    try (var files = Files.list(examples)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        SwitchboardConfig c = load(file, true, env);
        assertTrue(c.server().port() >= 0, file.toString());
      }
    }
  }

  @Test
  void theShippedConfigurationBehavesExactlyLikeNoFile() throws Exception {
    Path shipped = Path.of("conf/switchboard.yaml");
    assumeTrue(Files.exists(shipped), "conf/switchboard.yaml is not in this checkout");
    assertEquals(parse(""), load(shipped, true, Map.of()));
  }
}
