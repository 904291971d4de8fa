package dev.switchboard.config;

import dev.switchboard.config.SwitchboardConfig.Price;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The {@code pricing} section: catalogue sync, operator default prices, per-channel prices. */
final class PricingConfig {

  static final String DEFAULT_CATALOGUE = "https://models.dev/api.json";
  private static final Set<String> PRICE_KEYS = Set.of("input", "output", "cacheRead", "cacheWrite5m",
      "cacheWrite1h", "reasoning");

  private PricingConfig() {}

  static SwitchboardConfig.Pricing parse(Object raw) {
    Section p = Section.of("pricing", raw, Set.of("catalogueUrl", "syncInterval", "models", "channels"));
    String url = p.string("catalogueUrl", DEFAULT_CATALOGUE);
    try {
      URI uri = URI.create(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException("pricing.catalogueUrl", "must be an http:// or https:// URL, got '" + url + "'");
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("pricing.catalogueUrl", "is not a valid URL: '" + url + "'");
    }
    long interval = p.millis("syncInterval", 12 * 3_600_000L);
    if (interval != 0 && interval < 60_000) {
      throw new ConfigException("pricing.syncInterval", "must be 0 (never) or at least 1m");
    }
    Map<String, Price> models = prices("pricing.models", p.raw("models"));
    Map<String, Map<String, Price>> channels = new LinkedHashMap<>();
    mapping("pricing.channels", p.raw("channels")).forEach((channel, perModel) ->
        channels.put(channel, prices("pricing.channels." + channel, perModel)));
    return new SwitchboardConfig.Pricing(url, interval, Map.copyOf(models), Map.copyOf(channels));
  }

  private static Map<String, Price> prices(String path, Object raw) {
    Map<String, Price> out = new LinkedHashMap<>();
    mapping(path, raw).forEach((model, value) -> {
      Section s = Section.of(path + "." + model, value, PRICE_KEYS);
      out.put(model, new Price(required(s, "input"), required(s, "output"), decimal(s, "cacheRead"),
          decimal(s, "cacheWrite5m"), decimal(s, "cacheWrite1h"), decimal(s, "reasoning")));
    });
    return out;
  }

  private static Map<String, Object> mapping(String path, Object raw) {
    if (raw == null) return Map.of();
    if (!(raw instanceof JsonObject o)) {
      throw new ConfigException(path, "expected a mapping");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    o.forEach(e -> out.put(e.getKey(), e.getValue())); // nested mappings arrive as JsonObject
    return out;
  }

  private static BigDecimal required(Section s, String key) {
    BigDecimal v = decimal(s, key);
    if (v == null) {
      throw new ConfigException(s.key(key), "is required (price per million tokens)");
    }
    return v;
  }

  /** A price as written: YAML numbers arrive as doubles, whose shortest form is the written decimal. */
  private static BigDecimal decimal(Section s, String key) {
    Object v = s.raw(key);
    if (v == null) return null;
    if (v instanceof JsonObject || v instanceof JsonArray || v instanceof Boolean) {
      throw new ConfigException(s.key(key), "expected a price per million tokens");
    }
    BigDecimal d;
    try {
      d = new BigDecimal(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(s.key(key), "expected a price per million tokens, got '" + v + "'");
    }
    if (d.signum() < 0) {
      throw new ConfigException(s.key(key), "cannot be negative");
    }
    return d;
  }
}
