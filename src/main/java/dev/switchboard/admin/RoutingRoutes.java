package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.GET;

import dev.switchboard.config.SwitchboardConfig.ChannelRules;
import dev.switchboard.pricing.Cost;
import dev.switchboard.select.Explanation;
import dev.switchboard.select.PoolSnapshot;
import dev.switchboard.select.PoolSnapshot.BenchStatus;
import dev.switchboard.select.PoolSnapshot.ChannelStatus;
import dev.switchboard.select.PoolSnapshot.TargetStatus;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What the selector knows now, read from its current pool snapshot (the one edges pick from):
 * the routing dry run of a model for a key, and the live pool status. Reads only: a dry run
 * claims no probe and records nothing.
 */
final class RoutingRoutes {

  private final Store store;
  private final PoolReload pool;

  RoutingRoutes(Store store, PoolReload pool) {
    this.store = store;
    this.pool = pool;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/routing/explain", Role.ADMIN, this::explain),
        Endpoint.of(GET, "/pool", Role.VIEWER, this::status));
  }

  private Future<Reply> explain(Call call) {
    Queries q = new Queries(call);
    String model = q.text("model", true, 200);
    Long keyId = q.id("key");
    q.check();
    Future<ClientKey> key = keyId == null ? Future.succeededFuture(null)
        : store.clientKeys().map(all -> all.stream().filter(k -> k.id() == keyId).findFirst()
            .orElseThrow(() -> ApiError.notFound("Key")));
    return key.compose(k -> pool.current().map(snapshot -> Reply.ok(render(snapshot, model, k, System.currentTimeMillis()))));
  }

  static JsonObject render(PoolSnapshot snapshot, String model, ClientKey key, long now) {
    Explanation e = snapshot.explain(model, key, now);
    String refused = null;
    JsonObject keyJson = null;
    if (key != null) {
      if (!key.enabled()) refused = "key '" + key.name() + "' is disabled";
      else if (key.expiredAt(now)) refused = "key '" + key.name() + "' has expired";
      else if (e.resolved() != null && !snapshot.allows(key, model)) refused = "key '" + key.name() + "' may not use " + model;
      keyJson = new JsonObject().put("id", key.id()).put("name", key.name()).put("enabled", key.enabled())
          .put("expired", key.expiredAt(now)).put("refused", refused);
    }
    JsonArray candidates = new JsonArray();
    Integer tier = null;
    for (Explanation.Step s : e.candidates()) {
      boolean usable = s.skipped() == null && refused == null;
      if (usable && tier == null) tier = s.tier();
      candidates.add(new JsonObject().put("tier", s.tier()).put("strategy", s.strategy()).put("channel", s.channel())
          .put("credentialId", s.credentialId() == 0 ? null : s.credentialId()).put("upstreamModel", s.upstreamModel())
          .put("usable", usable).put("skipped", refused != null && s.skipped() == null ? refused : s.skipped()));
    }
    return new JsonObject().put("model", model).put("resolved", e.resolved()).put("served", e.resolved() != null)
        .put("key", keyJson).put("tier", tier).put("candidates", candidates)
        .put("snapshotVersion", snapshot.version()).put("at", Instant.ofEpochMilli(now).toString());
  }

  private Future<Reply> status(Call call) {
    Queries q = new Queries(call);
    Boolean benched = q.bool("benched");
    q.check();
    Paging paging = Paging.of(call);
    return pool.current().map(snapshot -> {
      long now = System.currentTimeMillis();
      List<ChannelStatus> all = snapshot.status(now).stream()
          .filter(c -> benched == null || benched == c.targets().stream().anyMatch(t -> !t.benches().isEmpty())).toList();
      JsonArray items = new JsonArray();
      all.stream().skip(paging.offset).limit(paging.limit).forEach(c -> items.add(render(c)
          .put("limits", limits(snapshot.channelRules(c.channel().id()), c.channel()))));
      return Reply.ok(paging.wrap(items, all.size()).put("snapshotVersion", snapshot.version())
          .put("at", Instant.ofEpochMilli(now).toString()));
    });
  }

  /** The channel's routing rules: per-credential caps (0 = none), quotas (YAML's, else the API's) and tags. */
  private static JsonObject limits(ChannelRules rules, dev.switchboard.store.Channel channel) {
    long quota = rules.quota() >= 0 ? rules.quota() : channel.quota();
    long costQuota = rules.costQuotaNanos() >= 0 ? rules.costQuotaNanos() : channel.costQuotaNanos();
    return new JsonObject().put("rpm", rules.limits().rpm()).put("tpm", rules.limits().tpm()).put("rpd", rules.limits().rpd())
        .put("quota", quota < 0 ? null : quota)
        .put("costQuota", costQuota < 0 ? null : new Cost(costQuota, 0).display()).put("tags", new JsonArray(new java.util.ArrayList<Object>(rules.tags())));
  }

  private static Double measured(double ms) {
    return ms < 0 ? null : Math.round(ms * 10) / 10.0;
  }

  static JsonObject render(ChannelStatus c) {
    JsonArray urls = new JsonArray();
    c.urlLatencyMs().forEach((url, ms) -> urls.add(new JsonObject().put("url", url).put("latencyMs", measured(ms))));
    JsonArray credentials = new JsonArray();
    for (TargetStatus t : c.targets()) {
      JsonArray benches = new JsonArray();
      for (BenchStatus b : t.benches()) {
        benches.add(new JsonObject().put("model", b.model()).put("state", b.state())
            .put("until", Instant.ofEpochMilli(b.untilMs()).toString()).put("reason", b.reason()));
      }
      JsonObject ttft = new JsonObject();
      t.ttftMs().forEach((model, ms) -> ttft.put(model.isEmpty() ? "*" : model, measured(ms)));
      credentials.add(new JsonObject().put("id", t.credentialId() == 0 ? null : t.credentialId()).put("enabled", t.enabled())
          .put("state", t.benches().isEmpty() ? "ready" : t.benches().size() == 1 ? t.benches().get(0).state() : "benched")
          .put("benches", benches).put("ttftMs", ttft)
          .put("quotaLeft", t.quotaLeft() < 0 ? null : t.quotaLeft())
          .put("costQuotaLeft", t.costLeftNanos() < 0 ? null : new Cost(t.costLeftNanos(), 0).display()));
    }
    return new JsonObject().put("id", c.channel().id()).put("name", c.channel().name()).put("type", c.channel().type())
        .put("source", c.channel().source()).put("enabled", c.enabled())
        .put("quotaLeft", c.quotaLeft() < 0 ? null : c.quotaLeft())
        .put("costQuotaLeft", c.costLeftNanos() < 0 ? null : new Cost(c.costLeftNanos(), 0).display()).put("baseUrls", urls).put("credentials", credentials);
  }
}
