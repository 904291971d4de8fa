package dev.switchboard.admin;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;

import dev.switchboard.store.AdminStore;
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
 * ({@code source: config}) but changed only there; what any channel has used against its quotas
 * can be reset here.
 */
final class ChannelRoutes {

  private static final Set<String> FIELDS = Set.of("name", "type", "baseUrls", "models", "modelMap", "priority", "weight",
      "enabled", "keys", QuotaFields.TOKENS, QuotaFields.MONEY);

  private final Store store;
  private final Audit audit;
  private final PoolReload pool;
  private final ChannelProbe probe;
  private final ModelSync sync;

  ChannelRoutes(Store store, Audit audit, PoolReload pool, ChannelProbe probe, ModelSync sync) {
    this.store = store;
    this.audit = audit;
    this.pool = pool;
    this.probe = probe;
    this.sync = sync;
  }

  List<Endpoint> endpoints() {
    return List.of(
        Endpoint.of(GET, "/channels", Role.VIEWER, this::list),
        Endpoint.of(POST, "/channels", Role.OPERATOR, this::create),
        Endpoint.of(GET, "/channels/{id}", Role.VIEWER, this::get),
        Endpoint.of(PATCH, "/channels/{id}", Role.OPERATOR, this::update),
        Endpoint.of(DELETE, "/channels/{id}", Role.OPERATOR, this::delete),
        Endpoint.of(POST, "/channels/{id}/test", Role.OPERATOR, this::test),
        Endpoint.of(POST, "/channels/{id}/models/sync", Role.OPERATOR, this::syncModels),
        Endpoint.of(POST, "/channels/{id}/quota/reset", Role.OPERATOR, this::resetQuota));
  }

  /** What may be shown of a secret: its last four characters when it is long enough to spare them. */
  static String mask(String secret) {
    return secret.length() >= 16 ? "…" + secret.substring(secret.length() - 4) : "****";
  }

  static JsonObject render(Channel c) {
    JsonArray credentials = new JsonArray();
    for (Credential cred : c.credentials()) {
      credentials.add(CredentialRoutes.render(cred));
    }
    return new JsonObject().put("id", c.id()).put("name", c.name()).put("type", c.type())
        .put("baseUrls", new JsonArray(new ArrayList<Object>(c.baseUrls())))
        .put("models", new JsonArray(new ArrayList<Object>(c.models())))
        .put("modelMap", new JsonObject(new LinkedHashMap<String, Object>(c.modelMap())))
        .put("priority", c.priority()).put("weight", c.weight()).put("enabled", c.enabled()).put("source", c.source())
        .put("quota", QuotaFields.shown(c.quota())).put("costQuota", QuotaFields.display(c.costQuotaNanos()))
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
    Map<String, AdminStore.KeyQuota> keyQuotas = new LinkedHashMap<>();
    List<String> keys = keys(f, keyQuotas);
    long quota = QuotaFields.tokens(f, base == null ? -1 : base.quota());
    long costQuota = QuotaFields.nanos(f, base == null ? -1 : base.costQuotaNanos());
    ChannelDraft d = new ChannelDraft(
        name != null ? name : base == null ? null : base.name(),
        type != null ? type : base == null ? "openai" : base.type(),
        baseUrls != null ? baseUrls : base == null ? List.of() : base.baseUrls(),
        models != null ? models : base == null ? List.of() : base.models(),
        modelMap != null ? modelMap : base == null ? Map.of() : base.modelMap(),
        priority != null ? priority : base == null ? 0 : base.priority(),
        weight != null ? weight : base == null ? 1 : base.weight(),
        enabled != null ? enabled : base == null || base.enabled(),
        keys, quota, costQuota, Map.copyOf(keyQuotas));
    if (d.baseUrls().isEmpty()) f.error("baseUrls", "at least one base URL is required");
    if (d.models().isEmpty() && d.modelMap().isEmpty()) f.error("models", "at least one model (models or modelMap) is required");
    f.check();
    // as in YAML: a model map's names are served too
    List<String> served = new ArrayList<>(d.models());
    d.modelMap().keySet().stream().filter(m -> !served.contains(m)).forEach(served::add);
    return new ChannelDraft(d.name(), d.type(), d.baseUrls(), List.copyOf(served), d.modelMap(), d.priority(), d.weight(),
        d.enabled(), d.keys(), d.quota(), d.costQuotaNanos(), d.keyQuotas());
  }

  private static final Set<String> KEY_FIELDS = Set.of("key", QuotaFields.TOKENS, QuotaFields.MONEY);

  /**
   * {@code keys}: each a secret, or {@code {key, quota?, costQuota?}} to give the credential its
   * own quotas (put in {@code quotas} by secret; absent ones are none). Null when absent.
   */
  private static List<String> keys(Fields f, Map<String, AdminStore.KeyQuota> quotas) {
    Object v = f.raw("keys");
    if (v == null) return null;
    if (!(v instanceof JsonArray a)) {
      f.error("keys", "must be a list of keys (strings or {key, quota, costQuota} objects)");
      return null;
    }
    if (a.size() > 100) {
      f.error("keys", "must have at most 100 items");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      Object item = a.getValue(i);
      if (!(item instanceof JsonObject)) {
        String secret = f.textItem("keys[" + i + "]", item, 4096);
        if (secret == null) return null;
        out.add(secret);
        continue;
      }
      Fields k = f.nested("keys[" + i + "]", item, KEY_FIELDS);
      String secret = k.text("key", true, 4096);
      if (secret == null) return null;
      out.add(secret);
      quotas.put(secret, new AdminStore.KeyQuota(QuotaFields.tokens(k, -1), QuotaFields.nanos(k, -1)));
    }
    return List.copyOf(out);
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
        .put("keysReplaced", d.keys() != null).put("keys", d.keys() == null ? null : d.keys().size())
        .put("quota", QuotaFields.shown(d.quota())).put("costQuota", QuotaFields.display(d.costQuotaNanos()));
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
   * Zeroes what the channel (declared in YAML or not) has used against its quotas, here at once
   * and on the other instances with the change notice. Its credentials' own counts stay.
   */
  private Future<Reply> resetQuota(Call call) {
    long id = call.id("Channel");
    return find(id).compose(c -> pool.resetQuota(new JsonObject().put("channel", id))
        .compose(v -> audit.record(call, "channel.quota.reset", "channel:" + id, new JsonObject().put("name", c.name())))
        .compose(v -> find(id)))
        .map(c -> Reply.ok(render(c)));
  }

  /** The credential asked for by id, else the first enabled one, else the first; null for a keyless channel. */
  private static Credential credential(Channel c, Integer credentialId) {
    if (credentialId != null) {
      return c.credentials().stream().filter(k -> k.id() == credentialId).findFirst()
          .orElseThrow(() -> ApiError.invalid("credential", "the channel has no credential with this id"));
    }
    return c.credentials().stream().filter(Credential::enabled).findFirst()
        .orElse(c.credentials().isEmpty() ? null : c.credentials().get(0));
  }

  /** An empty body is an empty object here: every field is optional. */
  private static JsonObject optionalBody(Call call) {
    String raw = call.ctx.body() == null ? null : call.ctx.body().asString();
    return raw == null || raw.isBlank() ? new JsonObject() : call.body();
  }

  /**
   * Lists the upstream's models with one of the channel's credentials and compares them with the
   * channel's: {@code found} (all listed), {@code added} (listed, not served yet), {@code removed}
   * (served, no longer listed; patterns are never counted). With {@code apply} (or a
   * {@code mode}), the channel's models become the union ({@code merge}, the default) or exactly
   * the listed ones ({@code replace}), and the pool is reloaded. Only run-time channels change.
   */
  private Future<Reply> syncModels(Call call) {
    long id = call.id("Channel");
    Fields f = new Fields(optionalBody(call), Set.of("apply", "mode", "credential"));
    Boolean apply = f.bool("apply");
    String mode = f.text("mode", false, 16);
    if (mode != null && !mode.equals("merge") && !mode.equals("replace")) f.error("mode", "must be merge or replace");
    Integer credentialId = f.integer("credential", 1, Integer.MAX_VALUE);
    f.check();
    boolean applying = apply != null ? apply : mode != null;
    String how = mode == null ? "merge" : mode;
    return find(id).compose(c -> {
      if (applying && !"api".equals(c.source())) throw ApiError.readOnly("This channel");
      Credential cred = credential(c, credentialId);
      return sync.list(c, cred).compose(found -> {
        List<String> current = ModelSync.names(c.models());
        List<String> added = found.stream().filter(m -> !current.contains(m)).toList();
        List<String> removed = current.stream().filter(m -> !found.contains(m)).toList();
        JsonObject result = new JsonObject().put("channel", c.id()).put("credentialId", cred == null ? null : cred.id())
            .put("found", new JsonArray(new ArrayList<Object>(found))).put("added", new JsonArray(new ArrayList<Object>(added)))
            .put("removed", new JsonArray(new ArrayList<Object>(removed))).put("applied", applying).put("mode", applying ? how : null);
        if (!applying) return Future.succeededFuture(Reply.ok(result));
        List<String> models = new ArrayList<>();
        if (how.equals("merge")) {
          models.addAll(c.models());
          added.forEach(models::add);
        } else {
          models.addAll(found);
        }
        // as on create: a model map's names stay served
        c.modelMap().keySet().stream().filter(m -> !models.contains(m)).forEach(models::add);
        if (models.isEmpty()) throw ApiError.of(409, "no_models", "The upstream lists no models; replacing would leave the channel with none.");
        ChannelDraft d = new ChannelDraft(c.name(), c.type(), c.baseUrls(), List.copyOf(models), c.modelMap(), c.priority(),
            c.weight(), c.enabled(), null, c.quota(), c.costQuotaNanos());
        return store.admin().updateChannel(id, d)
            .compose(v -> pool.reload())
            .compose(v -> audit.record(call, "channel.models.sync", "channel:" + id, new JsonObject().put("mode", how)
                .put("found", found.size()).put("added", added.size()).put("removed", how.equals("replace") ? removed.size() : 0)))
            .map(v -> Reply.ok(result.put("models", new JsonArray(new ArrayList<Object>(models)))));
      });
    });
  }

  /**
   * Probes the channel: {@code model} (default: its first model that is not a pattern) mapped to
   * its upstream name, with {@code credential} (default: its first enabled one). An empty body
   * is fine. The answer is 200 whether or not the upstream did well: {@code ok} says.
   */
  private Future<Reply> test(Call call) {
    long id = call.id("Channel");
    Fields f = new Fields(optionalBody(call), Set.of("model", "credential"));
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
      Credential cred = credential(c, credentialId);
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
