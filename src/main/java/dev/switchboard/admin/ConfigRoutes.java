package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.ConfigReload;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The effective configuration (the file plus environment overrides, as loaded), with every
 * secret masked: channel keys and client keys (and their hashes) become {@code ****}, and the
 * password in any URL (database, Redis, catalogue) is replaced, in its user-info part or its
 * query. Rendered from the configuration records by their component names, so a field added
 * later is shown, and masked when its name says it is a secret.
 */
final class ConfigRoutes {

  static final String MASK = "****";
  /** Component names whose values are secrets, whatever their type. */
  private static final Set<String> SECRET_NAMES = Set.of("key", "keys", "keysha256", "secret", "secrets", "password",
      "token", "apikey", "privatekey");
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@?#]*)@");
  private static final Pattern SECRET_QUERY = Pattern.compile(
      "([?&;](?:password|pass|pwd|secret|token|key|api[-_]?key|access[-_]?token|auth)=)[^&;#]*", Pattern.CASE_INSENSITIVE);

  private final Supplier<SwitchboardConfig> config;
  private final ConfigReload reload;
  private final Audit audit;

  ConfigRoutes(Supplier<SwitchboardConfig> config, ConfigReload reload, Audit audit) {
    this.config = config;
    this.reload = reload;
    this.audit = audit;
  }

  List<Endpoint> endpoints() {
    return List.of(Endpoint.of(GET, "/config", Role.ADMIN, this::get),
        Endpoint.of(POST, "/config/reload", Role.ADMIN, this::reload));
  }

  private Future<Reply> get(Call call) {
    SwitchboardConfig current = config.get();
    if (current == null) throw ApiError.of(503, "unavailable", "The configuration is not attached to this API.");
    return Future.succeededFuture(Reply.ok(render(current)));
  }

  /**
   * Reads the file the gateway started with again and applies what may change at run time;
   * answers what was applied and which changed keys wait for a restart. An invalid file is a
   * 400 with the loader's message, and the configuration in force stays.
   */
  private Future<Reply> reload(Call call) {
    if (reload == null) throw ApiError.of(503, "unavailable", "The configuration is not attached to this API.");
    return reload.run()
        .recover(err -> {
          if (!(err instanceof ConfigException e)) return Future.failedFuture(err);
          return audit.record(call, "config.reload", "config", new JsonObject().put("ok", false).put("error", e.getMessage()))
              .transform(x -> Future.failedFuture(ApiError.of(400, "invalid_config", e.getMessage())));
        })
        .compose(result -> audit.record(call, "config.reload", "config", result.toJson().put("ok", true))
            .map(v -> Reply.ok(result.toJson())));
  }

  static JsonObject render(SwitchboardConfig config) {
    return (JsonObject) value(config, false);
  }

  /** A URL with the password of its user-info and secret-looking query parameters masked. */
  static String maskUrl(String s) {
    var m = USER_INFO.matcher(s);
    if (m.find()) {
      String info = m.group(2);
      int colon = info.indexOf(':');
      String masked = colon >= 0 ? info.substring(0, colon + 1) + MASK : info.isEmpty() ? "" : MASK;
      s = m.group(1) + masked + "@" + s.substring(m.end());
    }
    return SECRET_QUERY.matcher(s).replaceAll("$1" + MASK);
  }

  private static Object value(Object v, boolean secret) {
    if (v == null) return null;
    if (secret) {
      if (v instanceof Collection<?> c) {
        JsonArray out = new JsonArray();
        c.forEach(x -> out.add(x == null ? null : MASK));
        return out;
      }
      return MASK;
    }
    if (v instanceof String s) return maskUrl(s);
    if (v instanceof BigDecimal d) return d.toPlainString();
    if (v instanceof Number || v instanceof Boolean) return v;
    if (v instanceof Enum<?> e) return e.name().toLowerCase(Locale.ROOT);
    if (v instanceof Collection<?> c) {
      JsonArray out = new JsonArray();
      c.forEach(x -> out.add(value(x, false)));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      JsonObject out = new JsonObject();
      m.forEach((k, x) -> out.put(String.valueOf(k), value(x, SECRET_NAMES.contains(String.valueOf(k).toLowerCase(Locale.ROOT)))));
      return out;
    }
    if (v.getClass().isRecord()) {
      JsonObject out = new JsonObject();
      for (RecordComponent rc : v.getClass().getRecordComponents()) {
        Object x;
        try {
          rc.getAccessor().setAccessible(true);
          x = rc.getAccessor().invoke(v);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + rc.getName(), e);
        }
        out.put(rc.getName(), value(x, SECRET_NAMES.contains(rc.getName().toLowerCase(Locale.ROOT))));
      }
      return out;
    }
    // anything else is not configuration we know how to show safely
    return MASK;
  }
}
