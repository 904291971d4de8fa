package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.GET;

import dev.switchboard.stats.RequestQuery;
import dev.switchboard.stats.UsageRecord;
import dev.switchboard.store.AdminStore;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request log: every proxied request newest first, filtered and paged in the database, and
 * one request by the id its client saw in {@code x-request-id}, with its routing trail. The
 * client key is shown by id, name and prefix only; channels by id and name.
 */
final class RequestRoutes {

  /** Request ids are {@code req_} and 20 hex digits; anything much longer names no request. */
  private static final int MAX_REQUEST_ID = 128;

  private final Store store;

  RequestRoutes(Store store) {
    this.store = store;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/requests", Role.VIEWER, this::list),
        Endpoint.of(GET, "/requests/{requestId}", Role.VIEWER, this::one));
  }

  private static RequestQuery query(Queries q, Paging paging) {
    long now = System.currentTimeMillis();
    long to = q.instant("to", now);
    long from = q.instant("from", to - UsageRoutes.DEFAULT_RANGE_MS);
    if (q.valid("from") && q.valid("to")) {
      if (to < from) q.error("to", "must not be before from");
      else if (to - from > UsageRoutes.MAX_RANGE_MS) q.error("from", "the range may span at most 367 days");
    }
    Long key = q.id("key");
    Long channel = q.id("channel");
    String model = q.text("model", false, 200);
    Integer status = null;
    Integer statusClass = null;
    String rawStatus = q.text("status", false, 16);
    if (rawStatus != null) {
      if (rawStatus.matches("[1-5]xx")) statusClass = rawStatus.charAt(0) - '0';
      else if (rawStatus.matches("[1-5][0-9][0-9]")) status = Integer.parseInt(rawStatus);
      else q.error("status", "must be a status such as 429 or a class such as 4xx");
    }
    String errorClass = q.text("errorClass", false, 64);
    Boolean streamed = q.bool("streamed");
    q.check();
    return new RequestQuery(from, to, key, channel, model, status, statusClass, errorClass, streamed, paging.limit,
        paging.offset);
  }

  private Future<Reply> list(Call call) {
    Paging paging = Paging.of(call);
    RequestQuery query = query(new Queries(call), paging);
    return Future.all(store.requests(query), names()).map(all -> {
      AdminStore.Page<UsageRecord> page = all.resultAt(0);
      Names names = all.resultAt(1);
      JsonArray items = new JsonArray();
      page.items().forEach(r -> items.add(render(r, names)));
      return Reply.ok(paging.wrap(items, page.total()).put("range", new JsonObject()
          .put("from", Instant.ofEpochMilli(query.fromMs()).toString()).put("to", Instant.ofEpochMilli(query.toMs()).toString())));
    });
  }

  private Future<Reply> one(Call call) {
    String id = call.pathParam("requestId");
    if (id == null || id.isEmpty() || id.length() > MAX_REQUEST_ID) throw ApiError.notFound("Request");
    return Future.all(store.request(id), names()).map(all -> {
      UsageRecord r = all.resultAt(0);
      if (r == null) throw ApiError.notFound("Request");
      return Reply.ok(render(r, all.resultAt(1)).put("trail", r.trail() == null ? null : r.trail().toJson()));
    });
  }

  /** Key and channel names by id, read per call: both tables are small and names change at run time. */
  private record Names(Map<Long, AdminStore.Key> keys, Map<Long, String> channels) {}

  private Future<Names> names() {
    return Future.all(store.admin().keys(), store.channels()).map(all -> {
      Map<Long, AdminStore.Key> keys = new HashMap<>();
      for (AdminStore.Key k : all.<List<AdminStore.Key>>resultAt(0)) keys.put(k.id(), k);
      Map<Long, String> channels = new HashMap<>();
      for (Channel c : all.<List<Channel>>resultAt(1)) channels.put(c.id(), c.name());
      return new Names(keys, channels);
    });
  }

  private static JsonObject render(UsageRecord r, Names names) {
    AdminStore.Key key = names.keys().get(r.clientKeyId());
    JsonObject keyJson = r.clientKeyId() <= 0 ? null : new JsonObject().put("id", r.clientKeyId())
        .put("name", key == null ? null : key.name()).put("prefix", key == null ? null : key.prefix());
    JsonObject channel = r.channelId() <= 0 ? null : new JsonObject().put("id", r.channelId())
        .put("name", names.channels().get(r.channelId()));
    return new JsonObject()
        .put("requestId", r.requestId())
        .put("at", Instant.ofEpochMilli(r.timestampMs()).toString())
        .put("key", keyJson)
        .put("model", r.model())
        .put("group", r.group())
        .put("channel", channel)
        .put("credentialId", r.credentialId() <= 0 ? null : r.credentialId())
        .put("upstreamModel", r.upstreamModel())
        .put("route", r.route())
        .put("clientProtocol", r.clientProtocol())
        .put("upstreamProtocol", r.upstreamProtocol())
        .put("streamed", r.streamed())
        .put("status", r.status())
        .put("errorClass", r.errorClass())
        .put("attempts", r.attempts())
        .put("latencyMs", r.latencyMs())
        .put("ttftMs", r.ttftMs() < 0 ? null : r.ttftMs())
        .put("bytesIn", r.bytesIn())
        .put("bytesOut", r.bytesOut())
        .put("user", r.user())
        .put("usage", new JsonObject().put("inputTokens", r.inputTokens()).put("outputTokens", r.outputTokens())
            .put("cachedTokens", r.cachedTokens()).put("reasoningTokens", r.reasoningTokens())
            .put("cacheWrite5mTokens", r.cacheWrite5mTokens()).put("cacheWrite1hTokens", r.cacheWrite1hTokens())
            .put("estimated", r.estimated()))
        .put("cost", r.priced() ? BigDecimal.valueOf(r.costNanos(), 9).stripTrailingZeros().toPlainString() : null);
  }
}
