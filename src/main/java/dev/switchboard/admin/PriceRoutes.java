package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.pricing.ModelPrice;
import dev.switchboard.pricing.PriceService;
import dev.switchboard.pricing.PriceVersion;
import dev.switchboard.pricing.PriceVersion.Scope;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Price versions, per million tokens. Versions are only appended: a new operator price
 * ({@code source: api}) for a model, or for a model on one channel, takes effect from now or a
 * later time, and the price book is reloaded before the call answers, so the next request is
 * priced with it. Past costs never change.
 */
final class PriceRoutes {

  static final String SOURCE = "api";
  /** The {@code prices.model} column's size on every database. */
  static final int MAX_MODEL = 191;
  /** Clock skew tolerated for an {@code effectiveFrom} given as "now". */
  static final long PAST_SLACK_MS = 60_000;
  private static final List<String> PARTS = List.of("input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h", "reasoning");
  private static final Set<String> FIELDS = Set.of("model", "channel", "effectiveFrom", "input", "output", "cacheRead",
      "cacheWrite5m", "cacheWrite1h", "reasoning");

  private final Store store;
  private final PriceService prices;
  private final Audit audit;

  private final PoolReload pool;

  PriceRoutes(Store store, PriceService prices, Audit audit, PoolReload pool) {
    this.pool = pool;
    this.store = store;
    this.prices = prices;
    this.audit = audit;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/prices", Role.VIEWER, this::list),
        Endpoint.of(POST, "/prices", Role.OPERATOR, this::create));
  }

  private record Level(Scope scope, long channelId, String model) {
    static Level of(PriceVersion v) {
      return new Level(v.scope(), v.channelId(), v.model());
    }
  }

  /** The version in force now at each level (none when its latest past version is a withdrawal). */
  static Set<Long> inForce(List<PriceVersion> all, long now) {
    Map<Level, PriceVersion> current = new HashMap<>();
    for (PriceVersion v : all) {
      if (v.effectiveFromMs() > now) continue;
      current.merge(Level.of(v), v, (a, b) -> b.effectiveFromMs() > a.effectiveFromMs()
          || b.effectiveFromMs() == a.effectiveFromMs() && b.id() > a.id() ? b : a);
    }
    Set<Long> ids = new java.util.HashSet<>();
    current.values().forEach(v -> {
      if (!v.price().withdrawn()) ids.add(v.id());
    });
    return ids;
  }

  private static String text(BigDecimal v) {
    return v == null ? null : v.toPlainString();
  }

  static JsonObject render(PriceVersion v, Map<Long, String> channelNames, Set<Long> inForce) {
    ModelPrice p = v.price();
    return new JsonObject().put("id", v.id()).put("scope", v.scope().column()).put("model", v.model())
        .put("channel", v.channelId() == 0 ? null : v.channelId())
        .put("channelName", v.channelId() == 0 ? null : channelNames.get(v.channelId()))
        .put("effectiveFrom", Instant.ofEpochMilli(v.effectiveFromMs()).toString()).put("source", v.source())
        .put("inForce", inForce.contains(v.id())).put("withdrawn", p.withdrawn())
        .put("input", text(p.input())).put("output", text(p.output())).put("cacheRead", text(p.cacheRead()))
        .put("cacheWrite5m", text(p.cacheWrite5m())).put("cacheWrite1h", text(p.cacheWrite1h()))
        .put("reasoning", text(p.reasoning()));
  }

  private static Map<Long, String> names(List<Channel> channels) {
    Map<Long, String> out = new HashMap<>();
    channels.forEach(c -> out.put(c.id(), c.name()));
    return out;
  }

  private Future<Reply> list(Call call) {
    Queries q = new Queries(call);
    String model = q.text("model", false, 200);
    String scope = q.oneOf("scope", false, "channel", "default", "catalogue");
    Long channel = q.id("channel");
    Boolean current = q.bool("inForce");
    q.check();
    Map<String, Comparator<PriceVersion>> sorts = new LinkedHashMap<>();
    sorts.put("id", Comparator.comparingLong(PriceVersion::id));
    sorts.put("model", Comparator.comparing(PriceVersion::model).thenComparingLong(PriceVersion::id));
    sorts.put("effectiveFrom", Comparator.comparingLong(PriceVersion::effectiveFromMs).thenComparingLong(PriceVersion::id));
    return Future.all(store.prices(), store.channels()).map(both -> {
      List<PriceVersion> all = both.resultAt(0);
      Map<Long, String> names = names(both.resultAt(1));
      Set<Long> inForce = inForce(all, System.currentTimeMillis());
      List<PriceVersion> matching = all.stream()
          .filter(v -> model == null || model.equals(v.model()))
          .filter(v -> scope == null || scope.equals(v.scope().column()))
          .filter(v -> channel == null || channel == v.channelId())
          .filter(v -> current == null || current == inForce.contains(v.id())).toList();
      return Reply.ok(Paging.page(call, matching, PriceVersion::model, sorts, "-id", v -> render(v, names, inForce)));
    });
  }

  /** A price part: a JSON number or decimal string, at least 0; null when absent or invalid. */
  private static BigDecimal part(JsonObject body, Fields f, String name) {
    Object v = body.getValue(name);
    if (v == null) return null;
    try {
      BigDecimal d = v instanceof Number n ? new BigDecimal(n.toString())
          : v instanceof String s && s.length() <= 40 ? new BigDecimal(s.trim()) : null;
      if (d != null && d.signum() >= 0 && d.compareTo(BigDecimal.valueOf(1_000_000)) <= 0 && d.scale() <= 12) return d;
    } catch (NumberFormatException e) {
      // fall through
    }
    f.error(name, "must be a price per million tokens: a number from 0 to 1000000 (a decimal string keeps it exact)");
    return null;
  }

  private Future<Reply> create(Call call) {
    JsonObject body = call.body();
    Fields f = new Fields(body, FIELDS);
    String model = f.text("model", true, MAX_MODEL);
    Integer channelField = f.integer("channel", 1, Integer.MAX_VALUE);
    long effectiveFrom = f.instant("effectiveFrom");
    Map<String, BigDecimal> parts = new HashMap<>();
    for (String name : PARTS) {
      BigDecimal d = part(body, f, name);
      if (d != null) parts.put(name, d);
    }
    for (String required : List.of("input", "output")) {
      if (!body.containsKey(required)) f.error(required, "is required");
    }
    long now = System.currentTimeMillis();
    long from = effectiveFrom <= 0 ? now : effectiveFrom;
    if (effectiveFrom > 0 && effectiveFrom < now - PAST_SLACK_MS) {
      f.error("effectiveFrom", "must not be in the past: versions only apply from now on, so past costs never change");
    }
    if (body.containsKey("channel") && channelField == null && body.getValue("channel") != null) {
      f.error("channel", "must be a channel id");
    }
    f.check();
    long channelId = channelField == null ? 0 : channelField;
    ModelPrice price = new ModelPrice(parts.get("input"), parts.get("output"), parts.get("cacheRead"),
        parts.get("cacheWrite5m"), parts.get("cacheWrite1h"), parts.get("reasoning"));
    PriceVersion version = PriceVersion.of(channelId == 0 ? Scope.DEFAULT : Scope.CHANNEL, channelId, model, from, price, SOURCE);
    return store.channels().compose(channels -> {
      Map<Long, String> names = names(channels);
      if (channelId != 0 && !names.containsKey(channelId)) throw ApiError.invalid("channel", "no channel has id " + channelId);
      return store.insertPrices(List.of(version))
          .onSuccess(v -> pool.announce("prices"))
          .compose(v -> prices == null ? Future.succeededFuture() : prices.reload())
          .compose(v -> store.prices())
          .compose(all -> {
            PriceVersion stored = all.stream().filter(v -> Level.of(v).equals(Level.of(version))
                && v.effectiveFromMs() == from && SOURCE.equals(v.source())).max(Comparator.comparingLong(PriceVersion::id))
                .orElseThrow();
            JsonObject details = new JsonObject().put("model", model).put("channel", channelId == 0 ? null : channelId)
                .put("effectiveFrom", Instant.ofEpochMilli(from).toString()).put("input", text(price.input()))
                .put("output", text(price.output()));
            return audit.record(call, "price.create", "price:" + stored.id(), details)
                .map(v -> Reply.created(render(stored, names, inForce(all, System.currentTimeMillis()))));
          });
    });
  }
}
