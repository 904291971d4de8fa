package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.config.GroupsLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.config.SwitchboardConfig.MemberConfig;
import dev.switchboard.config.SwitchboardConfig.TierConfig;
import dev.switchboard.store.AdminStore.StoredGroup;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Routing groups: a model name (and its aliases) served by failover tiers of channel members,
 * each tier with its strategy. Groups of the configuration file are listed ({@code source:
 * config}, addressed by name) but changed only there; groups made here are stored and routed
 * at once. A group is validated as the file's are: known strategies, existing channels,
 * names unique across every group and alias.
 */
final class GroupRoutes {

  private static final Set<String> FIELDS = Set.of("name", "aliases", "strategy", "members", "tiers");
  private static final Set<String> TIER_FIELDS = Set.of("strategy", "members");
  private static final Set<String> MEMBER_FIELDS = Set.of("channel", "model", "weight", "cost");

  /** One group as listed: stored ({@code id} set) or from the file. */
  private record View(Long id, String name, JsonObject body, String source, long createdAt, long updatedAt) {}

  private final Store store;
  private final Audit audit;
  private final PoolReload pool;
  private final Supplier<SwitchboardConfig> config;

  GroupRoutes(Store store, Audit audit, PoolReload pool, Supplier<SwitchboardConfig> config) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
    this.config = config;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/groups", Role.VIEWER, this::list),
        Endpoint.of(POST, "/groups", Role.OPERATOR, this::create),
        Endpoint.of(GET, "/groups/{id}", Role.VIEWER, this::get),
        Endpoint.of(PATCH, "/groups/{id}", Role.OPERATOR, this::update),
        Endpoint.of(DELETE, "/groups/{id}", Role.OPERATOR, this::delete));
  }

  private List<GroupConfig> declared() {
    SwitchboardConfig c = config.get();
    return c == null ? List.of() : c.groups();
  }

  private Future<List<View>> views() {
    return Future.all(store.channels(), store.admin().groups()).map(all -> {
      List<Channel> channels = all.resultAt(0);
      List<View> out = new ArrayList<>();
      for (GroupConfig g : declared()) out.add(new View(null, g.name(), declaredBody(g, channels), "config", 0, 0));
      for (StoredGroup g : all.<List<StoredGroup>>resultAt(1)) out.add(stored(g, channels));
      return out;
    });
  }

  private static JsonObject declaredBody(GroupConfig g, List<Channel> channels) {
    JsonArray tiers = new JsonArray();
    for (TierConfig t : g.tiers()) {
      JsonArray members = new JsonArray();
      for (MemberConfig m : t.members()) {
        Channel ch = channels.stream().filter(c -> c.name().equals(m.channel())).findFirst().orElse(null);
        members.add(new JsonObject().put("channel", ch == null ? null : ch.id()).put("channelName", m.channel())
            .put("model", m.model()).put("weight", m.weight()).put("cost", m.cost()));
      }
      tiers.add(new JsonObject().put("strategy", t.strategy()).put("members", members));
    }
    return new JsonObject().put("aliases", new JsonArray(new ArrayList<Object>(g.aliases()))).put("tiers", tiers);
  }

  /** A stored group with each member's channel named as it is called now (null when the channel is gone). */
  private static View stored(StoredGroup g, List<Channel> channels) {
    JsonObject def = new JsonObject(g.definition());
    JsonArray tiers = new JsonArray();
    for (Object t : def.getJsonArray("tiers", new JsonArray())) {
      JsonObject tier = (JsonObject) t;
      JsonArray members = new JsonArray();
      for (Object m : tier.getJsonArray("members", new JsonArray())) {
        JsonObject member = (JsonObject) m;
        long id = member.getLong("channelId");
        String name = channels.stream().filter(c -> c.id() == id).map(Channel::name).findFirst().orElse(null);
        members.add(new JsonObject().put("channel", id).put("channelName", name).put("model", member.getString("model"))
            .put("weight", member.getInteger("weight")).put("cost", member.getDouble("cost")));
      }
      tiers.add(new JsonObject().put("strategy", tier.getString("strategy")).put("members", members));
    }
    JsonObject body = new JsonObject().put("aliases", def.getJsonArray("aliases", new JsonArray())).put("tiers", tiers);
    return new View(g.id(), g.name(), body, "api", g.createdAt(), g.updatedAt());
  }

  private static JsonObject render(View v) {
    return new JsonObject().put("id", v.id()).put("name", v.name()).put("aliases", v.body().getJsonArray("aliases"))
        .put("tiers", v.body().getJsonArray("tiers")).put("source", v.source())
        .put("createdAt", v.id() == null ? null : v.createdAt()).put("updatedAt", v.id() == null ? null : v.updatedAt());
  }

  private Future<Reply> list(Call call) {
    Map<String, Comparator<View>> sorts = new LinkedHashMap<>();
    sorts.put("name", Comparator.comparing(View::name));
    sorts.put("id", Comparator.comparing(v -> v.id() == null ? 0L : v.id()));
    String source = call.query("source");
    return views().map(all -> Reply.ok(Paging.page(call, all.stream().filter(v -> source == null || source.equals(v.source()))
        .toList(), View::name, sorts, "name", GroupRoutes::render)));
  }

  /** {@code {id}} is a stored group's id or any group's name. */
  private Future<View> find(Call call) {
    String key = call.pathParam("id");
    return views().map(all -> all.stream()
        .filter(v -> key.equals(v.name()) || v.id() != null && key.equals(String.valueOf(v.id())))
        .findFirst().orElseThrow(() -> ApiError.notFound("Group")));
  }

  private Future<Reply> get(Call call) {
    return find(call).map(v -> Reply.ok(render(v)));
  }

  /** Reads a group body into its stored definition, or throws 400 listing every bad field. */
  private static JsonObject definition(JsonObject body, List<Channel> channels, Set<String> strategies) {
    Fields f = new Fields(body, FIELDS);
    String name = f.text("name", true, 191);
    List<String> aliases = f.strings("aliases", 100, 191);
    JsonArray tiers = new JsonArray();
    if (f.has("tiers")) {
      if (f.has("members") || f.has("strategy")) f.error("tiers", "give either members (one tier, with its strategy) or tiers, not both");
      if (!(f.raw("tiers") instanceof JsonArray list) || list.isEmpty()) {
        f.error("tiers", "must be a non-empty list of {strategy, members}");
      } else if (list.size() > 20) {
        f.error("tiers", "must have at most 20 tiers");
      } else {
        for (int i = 0; i < list.size(); i++) {
          Fields t = f.nested("tiers[" + i + "]", list.getValue(i), TIER_FIELDS);
          if (t != null) tiers.add(tier(t, channels, strategies));
        }
      }
    } else if (f.has("members")) {
      tiers.add(tier(f, channels, strategies));
    } else {
      f.error("members", "a group needs members or tiers");
    }
    if (name != null && aliases != null) {
      Set<String> seen = new HashSet<>();
      seen.add(name);
      for (int i = 0; i < aliases.size(); i++) {
        if (!seen.add(aliases.get(i))) f.error("aliases[" + i + "]", "repeats the group's name or another alias");
      }
    }
    f.check();
    return new JsonObject().put("name", name).put("aliases", new JsonArray(new ArrayList<Object>(aliases == null ? List.of() : aliases)))
        .put("tiers", tiers);
  }

  private static JsonObject tier(Fields t, List<Channel> channels, Set<String> strategies) {
    String strategy = t.text("strategy", false, 32);
    if (strategy == null) strategy = "weighted";
    if (!strategies.contains(strategy)) {
      t.error("strategy", "unknown strategy '" + strategy + "' (known: " + String.join(", ", strategies.stream().sorted().toList()) + ")");
    }
    JsonArray members = new JsonArray();
    if (!(t.raw("members") instanceof JsonArray list) || list.isEmpty()) {
      t.error("members", "at least one member is required");
    } else if (list.size() > 200) {
      t.error("members", "must have at most 200 members");
    } else {
      for (int i = 0; i < list.size(); i++) {
        Object raw = list.getValue(i);
        // as in the file: a bare channel (name or id) is a member with the defaults
        Object m = raw instanceof String || raw instanceof Number ? new JsonObject().put("channel", raw) : raw;
        Fields mf = t.nested("members[" + i + "]", m, MEMBER_FIELDS);
        if (mf != null) members.add(member(mf, channels));
      }
    }
    return new JsonObject().put("strategy", strategy).put("members", members);
  }

  private static JsonObject member(Fields m, List<Channel> channels) {
    Object ref = m.raw("channel");
    Channel ch = null;
    if (ref == null) {
      m.error("channel", "is required (a channel id or name)");
    } else if (ref instanceof Number n) {
      ch = channels.stream().filter(c -> c.id() == n.longValue()).findFirst().orElse(null);
      if (ch == null) m.error("channel", "no channel with id " + n);
    } else if (ref instanceof String s) {
      ch = channels.stream().filter(c -> c.name().equals(s)).findFirst().orElse(null);
      if (ch == null) m.error("channel", "no channel named '" + ChannelProbe.shorten(s) + "'");
    } else {
      m.error("channel", "must be a channel id or name");
    }
    String model = m.text("model", false, 200);
    Integer weight = m.integer("weight", 0, 1_000_000);
    Double cost = m.decimal("cost", 0, 1e12);
    JsonObject out = new JsonObject().put("channelId", ch == null ? null : ch.id());
    if (model != null) out.put("model", model);
    if (weight != null) out.put("weight", weight);
    if (cost != null) out.put("cost", cost);
    return out;
  }

  private Future<Reply> create(Call call) {
    JsonObject body = call.body();
    return Future.all(store.channels(), store.admin().groups(), store.admin().aliases()).compose(all -> {
      JsonObject def = definition(body, all.resultAt(0), GroupsLoader.STRATEGIES);
      claim(new ModelNames(config.get(), all.resultAt(1), all.resultAt(2), 0, 0), def);
      String name = def.getString("name");
      return store.admin().createGroup(name, stored(def))
          .compose(g -> pool.reload()
              .compose(v -> audit.record(call, "group.create", "group:" + g.id(), summary(def)))
              .map(v -> g));
    }).compose(g -> views().map(all -> Reply.created(render(all.stream().filter(v -> g.id() == orZero(v.id())).findFirst().orElseThrow()))));
  }

  private static long orZero(Long id) {
    return id == null ? 0 : id;
  }

  private static void claim(ModelNames names, JsonObject def) {
    names.claim("name", def.getString("name"));
    JsonArray aliases = def.getJsonArray("aliases");
    for (int i = 0; i < aliases.size(); i++) names.claim("aliases[" + i + "]", aliases.getString(i));
  }

  /** What is stored: the definition without the name, which has its own column. */
  private static String stored(JsonObject def) {
    JsonObject copy = def.copy();
    copy.remove("name");
    return copy.encode();
  }

  private static JsonObject summary(JsonObject def) {
    int members = def.getJsonArray("tiers").stream().mapToInt(t -> ((JsonObject) t).getJsonArray("members").size()).sum();
    return new JsonObject().put("name", def.getString("name")).put("aliases", def.getJsonArray("aliases"))
        .put("tiers", def.getJsonArray("tiers").size()).put("members", members);
  }

  /** The stored group as a request body would give it, for a partial update to overlay. */
  private static JsonObject asBody(View v) {
    JsonArray tiers = new JsonArray();
    for (Object t : v.body().getJsonArray("tiers")) {
      JsonObject tier = (JsonObject) t;
      JsonArray members = new JsonArray();
      for (Object m : tier.getJsonArray("members")) {
        JsonObject member = new JsonObject();
        ((JsonObject) m).forEach(e -> {
          if (e.getValue() != null && !"channelName".equals(e.getKey())) member.put(e.getKey(), e.getValue());
        });
        members.add(member);
      }
      tiers.add(new JsonObject().put("strategy", tier.getString("strategy")).put("members", members));
    }
    return new JsonObject().put("name", v.name()).put("aliases", v.body().getJsonArray("aliases")).put("tiers", tiers);
  }

  private Future<Reply> update(Call call) {
    JsonObject body = call.body();
    return find(call).compose(existing -> {
      if (existing.id() == null) throw ApiError.readOnly("This group");
      JsonObject merged = asBody(existing);
      if (body.containsKey("members") || body.containsKey("strategy")) merged.remove("tiers");
      if (body.containsKey("tiers")) {
        merged.remove("members");
        merged.remove("strategy");
      }
      body.forEach(e -> merged.put(e.getKey(), e.getValue()));
      long id = existing.id();
      return Future.all(store.channels(), store.admin().groups(), store.admin().aliases()).compose(all -> {
        JsonObject def = definition(merged, all.resultAt(0), GroupsLoader.STRATEGIES);
        claim(new ModelNames(config.get(), all.resultAt(1), all.resultAt(2), id, 0), def);
        return store.admin().updateGroup(id, def.getString("name"), stored(def)).compose(g -> {
          if (g == null) throw ApiError.notFound("Group");
          return pool.reload().compose(v -> audit.record(call, "group.update", "group:" + id, summary(def)));
        });
      }).compose(v -> views()).map(all -> Reply.ok(render(all.stream().filter(v -> id == orZero(v.id())).findFirst()
          .orElseThrow(() -> ApiError.notFound("Group")))));
    });
  }

  private Future<Reply> delete(Call call) {
    return find(call).compose(existing -> {
      if (existing.id() == null) throw ApiError.readOnly("This group");
      return store.admin().deleteGroup(existing.id())
          .compose(v -> pool.reload())
          .compose(v -> audit.record(call, "group.delete", "group:" + existing.id(), new JsonObject().put("name", existing.name())));
    }).map(Reply.noContent());
  }
}
