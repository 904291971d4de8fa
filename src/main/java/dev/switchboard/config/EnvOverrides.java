package dev.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies {@code SWITCHBOARD_<SECTION>_<KEY>} environment variables over the YAML tree and
 * expands {@code ${VAR}} / {@code ${VAR:-default}} inside string values. Key matching ignores
 * case and underscores, so {@code SWITCHBOARD_LIMITS_MAX_BODY_BYTES} sets {@code limits.maxBodyBytes}.
 */
final class EnvOverrides {

  /** Sections whose scalar keys can be set from the environment, with their known keys. */
  static final Map<String, Set<String>> SECTIONS = Map.ofEntries(
      Map.entry("server", Set.of("host", "port", "instances", "shutdownGrace", "keepAlive")),
      Map.entry("database", Set.of("type", "url", "poolSize")),
      Map.entry("redis", Set.of("url", "prefix")),
      Map.entry("limits", Set.of("maxBodyBytes", "maxSseEventBytes")),
      Map.entry("routing", Set.of("retries", "connectTimeout", "firstByteTimeout", "idleTimeout", "retryBackoff", "maxCooldown",
          "maxErrorCount", "errorWindow", "circuitOpen", "affinityTtl", "healthCheckInterval")),
      Map.entry("stats", Set.of("flushInterval", "batchSize", "queueCapacity", "retentionDays", "rollupRetentionDays")),
      Map.entry("pricing", Set.of("catalogueUrl", "syncInterval")),
      Map.entry("security", Set.of("masterKeyFile")),
      Map.entry("management", Set.of("enabled", "host", "port", "jwtAlgorithm", "jwtPrivateKeyFile", "jwtPublicKeyFile",
          "accessTokenTtl", "refreshTokenTtl", "corsOrigins", "loginMaxAttempts", "loginWindow", "loginLockout",
          "trustForwardedFor")));

  /** Variables with this prefix that are not configuration overrides. */
  private static final Set<String> NOT_OVERRIDES = Set.of("MASTER", "ADMIN", "TEST");

  private EnvOverrides() {}

  static JsonObject apply(JsonObject yaml, Map<String, String> env) {
    return apply(yaml, env, new java.util.ArrayList<>());
  }

  /** As {@link #apply(JsonObject, Map)}, adding to {@code ignored} the SWITCHBOARD_ variables that name no section. */
  static JsonObject apply(JsonObject yaml, Map<String, String> env, java.util.List<String> ignored) {
    JsonObject root = yaml.copy();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("SWITCHBOARD_")) {
        continue;
      }
      String rest = name.substring("SWITCHBOARD_".length());
      int cut = rest.indexOf('_');
      String sectionName = (cut < 0 ? rest : rest.substring(0, cut)).toLowerCase(Locale.ROOT);
      if (NOT_OVERRIDES.contains(sectionName.toUpperCase(Locale.ROOT))) {
        continue;
      }
      Set<String> keys = SECTIONS.get(sectionName);
      if (keys == null || cut < 0) {
        // not ours: Kubernetes injects SWITCHBOARD_PORT, SWITCHBOARD_SERVICE_HOST... for a Service of that name
        ignored.add(name);
        continue;
      }
      String wanted = rest.substring(cut + 1).replace("_", "").toLowerCase(Locale.ROOT);
      String key = keys.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(wanted)).findFirst()
          .orElseThrow(() -> new ConfigException(name, "unknown key in section '" + sectionName + "' (known: " + String.join(", ", keys.stream().sorted().toList()) + ")"));
      Object existing = root.getValue(sectionName);
      if (existing != null && !(existing instanceof JsonObject)) {
        throw new ConfigException(sectionName, "expected a mapping");
      }
      JsonObject section = (JsonObject) existing;
      if (section == null) {
        section = new JsonObject();
        root.put(sectionName, section);
      }
      section.put(key, e.getValue());
    }
    return (JsonObject) interpolate(root, "", env);
  }

  private static Object interpolate(Object node, String path, Map<String, String> env) {
    if (node instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(f -> out.put(f.getKey(), interpolate(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), env)));
      return out;
    }
    if (node instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (int i = 0; i < a.size(); i++) {
        out.add(interpolate(a.getValue(i), path + "[" + i + "]", env));
      }
      return out;
    }
    if (node instanceof String s && s.contains("${")) {
      return expand(s, path, env);
    }
    return node;
  }

  private static String expand(String s, String path, Map<String, String> env) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int start = s.indexOf("${", i);
      if (start < 0) {
        out.append(s, i, s.length());
        break;
      }
      int end = s.indexOf('}', start);
      if (end < 0) {
        throw new ConfigException(path, "unterminated ${...} reference");
      }
      out.append(s, i, start);
      String ref = s.substring(start + 2, end);
      int dflt = ref.indexOf(":-");
      String var = dflt < 0 ? ref : ref.substring(0, dflt);
      String value = env.get(var);
      // As in the shell, ${VAR:-default} also takes the default when VAR is set but empty.
      if (value == null || (value.isEmpty() && dflt >= 0)) {
        if (dflt < 0) {
          throw new ConfigException(path, "refers to environment variable " + var + ", which is not set");
        }
        value = ref.substring(dflt + 2);
      }
      out.append(value);
      i = end + 1;
    }
    return out.toString();
  }
}
