package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.GET;

import dev.switchboard.stats.UsageQuery;
import dev.switchboard.stats.UsageTotals;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage from the hourly rollups: a time series (one point per hour with requests) and totals per
 * client key, channel or model. {@code from} and {@code to} select the hours starting in
 * [from, to); by default the last 24 hours.
 */
final class UsageRoutes {

  static final long DEFAULT_RANGE_MS = 24 * 3_600_000L;
  /** At most a year and a day of hours in one question. */
  static final long MAX_RANGE_MS = 367 * 24 * 3_600_000L;

  private final Store store;

  UsageRoutes(Store store) {
    this.store = store;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/usage/series", Role.VIEWER, this::series),
        Endpoint.of(GET, "/usage/breakdown", Role.VIEWER, this::breakdown));
  }

  /** The range and filters of the query string. */
  private static UsageQuery query(Queries q) {
    long now = System.currentTimeMillis();
    long to = q.instant("to", now);
    long from = q.instant("from", to - DEFAULT_RANGE_MS);
    Long key = q.id("key");
    Long channel = q.id("channel");
    String model = q.text("model", false, 200);
    if (q.valid("from") && q.valid("to")) {
      if (to < from) q.error("to", "must not be before from");
      else if (to - from > MAX_RANGE_MS) q.error("from", "the range may span at most 367 days");
    }
    q.check();
    return new UsageQuery(from, to, key, channel, model);
  }

  private static JsonObject totals(UsageTotals t) {
    return new JsonObject().put("requests", t.requests()).put("errors", t.errors())
        .put("inputTokens", t.inputTokens()).put("outputTokens", t.outputTokens()).put("cachedTokens", t.cachedTokens())
        .put("cacheWrite5mTokens", t.cacheWrite5mTokens()).put("cacheWrite1hTokens", t.cacheWrite1hTokens())
        .put("reasoningTokens", t.reasoningTokens()).put("cost", t.cost().toPlainString()).put("unpriced", t.unpriced())
        .put("estimated", t.estimated()).put("meanLatencyMs", t.meanLatencyMs());
  }

  private static JsonObject range(UsageQuery query) {
    return new JsonObject().put("from", Instant.ofEpochMilli(query.fromMs()).toString())
        .put("to", Instant.ofEpochMilli(query.toMs()).toString()).put("key", query.clientKeyId())
        .put("channel", query.channelId()).put("model", query.model());
  }

  private Future<Reply> series(Call call) {
    UsageQuery query = query(new Queries(call));
    return store.usageSeries(query).map(points -> {
      JsonArray items = new JsonArray();
      points.forEach(t -> items.add(totals(t).put("hour", Instant.ofEpochMilli(t.hourMs()).toString())));
      return Reply.ok(range(query).put("points", items));
    });
  }

  private Future<Reply> breakdown(Call call) {
    Queries q = new Queries(call);
    String by = q.oneOf("by", true, "key", "channel", "model");
    UsageQuery query = query(q);
    Paging paging = Paging.of(call);
    UsageQuery.By group = switch (by) {
      case "key" -> UsageQuery.By.KEY;
      case "channel" -> UsageQuery.By.CHANNEL;
      default -> UsageQuery.By.MODEL;
    };
    return Future.all(store.usageBreakdown(query, group), store.channels(), store.clientKeys()).map(all -> {
      List<UsageTotals> rows = all.resultAt(0);
      Map<Long, String> channels = new HashMap<>();
      for (Channel c : all.<List<Channel>>resultAt(1)) channels.put(c.id(), c.name());
      Map<Long, String> keys = new HashMap<>();
      for (ClientKey k : all.<List<ClientKey>>resultAt(2)) keys.put(k.id(), k.name());
      JsonArray items = new JsonArray();
      rows.stream().skip(paging.offset).limit(paging.limit).forEach(t -> {
        JsonObject row = totals(t);
        switch (group) {
          case KEY -> row.put("key", t.clientKeyId() <= 0 ? null : t.clientKeyId()).put("name", keys.get(t.clientKeyId()));
          case CHANNEL -> row.put("channel", t.channelId() <= 0 ? null : t.channelId()).put("name", channels.get(t.channelId()));
          case MODEL -> row.put("model", t.model()).put("name", t.model());
        }
        items.add(row);
      });
      return Reply.ok(paging.wrap(items, rows.size()).put("by", by).put("range", range(query)));
    });
  }
}
