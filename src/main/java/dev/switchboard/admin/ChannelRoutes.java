package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.store.AdminStore.ChannelDraft;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import dev.switchboard.store.Store;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream channels. Secrets are write-only: {@code keys} sets them (stored encrypted), and
 * answers show each credential masked. Channels declared in the configuration file are listed
 * ({@code source: config}) but changed only there.
 */
final class ChannelRoutes {

  private static final Set<String> FIELDS = Set.of("name", "type", "baseUrls", "models", "modelMap", "priority", "weight",
      "enabled", "keys");

  private final Store store;
  private final Audit audit;
  private final PoolReload pool;
  private final ChannelProbe probe;

  ChannelRoutes(Store store, Audit audit, PoolReload pool, ChannelProbe probe) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
    this.probe = probe;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/channels", Role.VIEWER, this::list),
        Endpoint.of(POST, "/channels", Role.OPERATOR, this::create),
        Endpoint.of(GET, "/channels/{id}", Role.VIEWER, this::get),
        Endpoint.of(PATCH, "/channels/{id}", Role.OPERATOR, this::update),
        Endpoint.of(DELETE, "/channels/{id}", Role.OPERATOR, this::delete),
        Endpoint.of(POST, "/channels/{id}/test", Role.OPERATOR, this::test));
  }

  /** What may be shown of a secret: its last four characters when it is long enough to spare them. */
  static String mask(String secret) {
    return secret.length() >= 16 ? "…" + secret.substring(secret.length() - 4) : "****";
  }

  static JsonObject render(Channel c) {
    JsonArray credentials = new JsonArray();
    for (Credential cred : c.credentials()) {
      credentials.add(new JsonObject().put("id", cred.id()).put("enabled", cred.enabled()).put("key", mask(cred.secret())));
    }
    return new JsonObject().put("id", c.id()).put("name", c.name()).put("type", c.type())
        .put("baseUrls", new JsonArray(new ArrayList<Object>(c.baseUrls())))
        .put("models", new JsonArray(new ArrayList<Object>(c.models())))
        .put("modelMap", new JsonObject(new LinkedHashMap<String, Object>(c.modelMap())))
        .put("priority", c.priority()).put("weight", c.weight()).put("enabled", c.enabled()).put("source", c.source())
        .put("credentials", credentials);
  }

  private Future<Reply> list(Call call) {
    Map<String, Comparator<Channel>> sorts = new LinkedHashMap<>();
    sorts.put("id", Comparator.comparingLong(Channel::id));
    sorts.put("name", Comparator.comparing(Channel::name));
    sorts.put("priority", Comparator.comparingInt(Channel::priority));
    String source = call.query("source");
    String model = call.query("model");
    return store.channels().map(all -> Reply.ok(Paging.page(call, all.stream()
        .filter(c -> source == null || source.equals(c.source()))
        .filter(c -> model == null || c.models().contains(model)).toList(), Channel::name, sorts, "id", ChannelRoutes::render)));
  }

  private Future<Channel> find(long id) {
    return store.channels().map(all -> all.stream().filter(c -> c.id() == id).findFirst()
        .orElseThrow(() -> ApiError.notFound("Channel")));
  }

  private Future<Reply> get(Call call) {
    return find(call.id("Channel")).map(c -> Reply.ok(render(c)));
  }

  /** Reads the body over {@code base} (null on create), validating every field and the result. */
  private static ChannelDraft draft(JsonObject body, Channel base) {
    Fields f = new Fields(body, FIELDS);
    String name = f.text("name", base == null, 128);
    String type = f.text("type", false, 32);
    if (type != null && UpstreamType.of(type) == null) {
      f.error("type", "must be one of " + UpstreamType.ids());
    }
    List<String> baseUrls = f.strings("baseUrls", 16, 2048);
    if (baseUrls != null) {
      baseUrls = baseUrls.stream().map(u -> u.endsWith("/") ? u.replaceAll("/+$", "") : u).toList();
      for (int i = 0; i < baseUrls.size(); i++) {
        if (!httpUrl(baseUrls.get(i))) f.error("baseUrls[" + i + "]", "must be an http:// or https:// URL");
      }
    }
    List<String> models = f.strings("models", 1000, 200);
    Map<String, String> modelMap = f.stringMap("modelMap", 1000, 200);
    Integer priority = f.integer("priority", -1_000_000, 1_000_000);
    Integer weight = f.integer("weight", 1, 1_000_000);
    Boolean enabled = f.bool("enabled");
    List<String> keys = f.strings("keys", 100, 4096);
    ChannelDraft d = new ChannelDraft(
        name != null ? name : base == null ? null : base.name(),
        type != null ? type : base == null ? "openai" : base.type(),
        baseUrls != null ? baseUrls : base == null ? List.of() : base.baseUrls(),
        models != null ? models : base == null ? List.of() : base.models(),
        modelMap != null ? modelMap : base == null ? Map.of() : base.modelMap(),
        priority != null ? priority : base == null ? 0 : base.priority(),
        weight != null ? weight : base == null ? 1 : base.weight(),
        enabled != null ? enabled : base == null || base.enabled(),
        keys);
    if (d.baseUrls().isEmpty()) f.error("baseUrls", "at least one base URL is required");
    if (d.models().isEmpty() && d.modelMap().isEmpty()) f.error("models", "at least one model (models or modelMap) is required");
    f.check();
    // as in YAML: a model map's names are served too
    List<String> served = new ArrayList<>(d.models());
    d.modelMap().keySet().stream().filter(m -> !served.contains(m)).forEach(served::add);
    return new ChannelDraft(d.name(), d.type(), d.baseUrls(), List.copyOf(served), d.modelMap(), d.priority(), d.weight(),
        d.enabled(), d.keys());
  }

  private static boolean httpUrl(String url) {
    try {
      URI uri = URI.create(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonObject details(ChannelDraft d) {
    return new JsonObject().put("name", d.name()).put("models", d.models().size())
        .put("keysReplaced", d.keys() != null).put("keys", d.keys() == null ? null : d.keys().size());
  }

  private Future<Reply> create(Call call) {
    ChannelDraft d = draft(call.body(), null);
    return store.admin().createChannel(d)
        .compose(id -> pool.reload()
            .compose(v -> audit.record(call, "channel.create", "channel:" + id, details(d)))
            .compose(v -> find(id)))
        .map(c -> Reply.created(render(c)));
  }

  private Future<Reply> update(Call call) {
    long id = call.id("Channel");
    JsonObject body = call.body();
    return find(id).compose(existing -> {
      if (!"api".equals(existing.source())) throw ApiError.readOnly("This channel");
      ChannelDraft d = draft(body, existing);
      return store.admin().updateChannel(id, d)
          .compose(found -> pool.reload())
          .compose(v -> audit.record(call, "channel.update", "channel:" + id, details(d)))
          .compose(v -> find(id));
    }).map(c -> Reply.ok(render(c)));
  }

  private Future<Reply> delete(Call call) {
    long id = call.id("Channel");
    return find(id).compose(existing -> {
      if (!"api".equals(existing.source())) throw ApiError.readOnly("This channel");
      return store.admin().deleteChannel(id)
          .compose(v -> pool.reload())
          .compose(v -> audit.record(call, "channel.delete", "channel:" + id, new JsonObject().put("name", existing.name())));
    }).map(Reply.noContent());
  }

  /**
   * Probes the channel: {@code model} (default: its first model that is not a pattern) mapped to
   * its upstream name, with {@code credential} (default: its first enabled one). An empty body
   * is fine. The answer is 200 whether or not the upstream did well: {@code ok} says.
   */
  private Future<Reply> test(Call call) {
    long id = call.id("Channel");
    String raw = call.ctx.body() == null ? null : call.ctx.body().asString();
    JsonObject body = raw == null || raw.isBlank() ? new JsonObject() : call.body();
    Fields f = new Fields(body, Set.of("model", "credential"));
    String model = f.text("model", false, 200);
    Integer credentialId = f.integer("credential", 1, Integer.MAX_VALUE);
    f.check();
    return find(id).compose(c -> {
      String chosen = model != null ? model
          : c.models().stream().filter(m -> !m.contains("*")).findFirst().orElse(null);
      if (chosen == null) throw ApiError.invalid("model", "the channel serves only patterns; name a model to probe");
      if (model != null && !c.models().contains(model) && c.models().stream().noneMatch(m -> m.contains("*"))) {
        throw ApiError.invalid("model", "the channel does not serve this model");
      }
      Credential cred;
      if (credentialId != null) {
        cred = c.credentials().stream().filter(k -> k.id() == credentialId).findFirst()
            .orElseThrow(() -> ApiError.invalid("credential", "the channel has no credential with this id"));
      } else {
        cred = c.credentials().stream().filter(Credential::enabled).findFirst()
            .orElse(c.credentials().isEmpty() ? null : c.credentials().get(0));
      }
      String upstreamModel = c.modelMap().getOrDefault(chosen, chosen);
      return probe.probe(c, cred, upstreamModel).compose(r -> {
        JsonObject result = new JsonObject().put("channel", c.id()).put("name", c.name()).put("ok", r.ok())
            .put("status", r.status()).put("latencyMs", r.latencyMs()).put("model", chosen).put("upstreamModel", upstreamModel)
            .put("credentialId", cred == null ? null : cred.id())
            .put("baseUrl", c.baseUrls().isEmpty() ? null : c.baseUrls().get(0)).put("message", r.message());
        return audit.record(call, "channel.test", "channel:" + c.id(), new JsonObject().put("model", chosen)
            .put("credentialId", cred == null ? null : cred.id()).put("ok", r.ok()).put("status", r.status()))
            .map(Reply.ok(result));
      });
    });
  }
}
