package dev.switchboard;

import dev.switchboard.bus.Addresses;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.LiveConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.pricing.PriceService;
import dev.switchboard.store.AdminStore.StoredAlias;
import dev.switchboard.store.AdminStore.StoredGroup;
import dev.switchboard.store.Channel;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the configuration file again and applies what may change while the gateway runs:
 * declared channels (and their routing rules), client keys (and their limits), groups,
 * aliases and declared prices. What only a restart applies (listeners, database, Redis,
 * routing timings, ...) stays as it was and is reported. An invalid file changes nothing.
 * One reload at a time; the caller is on an event loop and nothing here blocks.
 */
public final class ConfigReload {

  /** The configuration's sections (record components) applied by a reload. */
  static final Set<String> LIVE = Set.of("channels", "apiKeys", "groups", "aliases");
  /** Parts of {@code pricing} applied by a reload (the catalogue's URL and period are not). */
  static final Set<String> LIVE_PRICING = Set.of("models", "channels");

  /** What a reload did: the keys it applied, those that need a restart (kept as they were). */
  public record Result(List<String> applied, List<String> restartRequired) {
    public JsonObject toJson() {
      return new JsonObject().put("applied", new JsonArray(new ArrayList<Object>(applied)))
          .put("restartRequired", new JsonArray(new ArrayList<Object>(restartRequired)));
    }
  }

  private final Vertx vertx;
  private final LiveConfig live;
  private final Store store;
  private final PriceService prices;
  private Future<Result> running;

  ConfigReload(Vertx vertx, LiveConfig live, Store store, PriceService prices) {
    this.vertx = vertx;
    this.live = live;
    this.store = store;
    this.prices = prices;
  }

  /** Fails with a {@link ConfigException} when the file is invalid or conflicts with the API's groups; then nothing changed. */
  public synchronized Future<Result> run() {
    if (running != null && !running.isComplete()) {
      return Future.failedFuture(new ConfigException("reload", "a reload is already running; try again when it ends"));
    }
    running = live.reread().compose(next -> Future.all(store.admin().groups(), store.admin().aliases(), store.channels())
        .compose(stored -> {
          checkChannels(next, stored.resultAt(2));
          return apply(live.get(), next, stored.resultAt(0), stored.resultAt(1));
        }))
        // the store's own refusals (a name taken since the check) are about the file too
        .recover(err -> Future.failedFuture(err instanceof IllegalStateException || err instanceof IllegalArgumentException
            ? new ConfigException("reload", String.valueOf(err.getMessage())) : err));
    return running;
  }

  private Future<Result> apply(SwitchboardConfig old, SwitchboardConfig next, List<StoredGroup> groups, List<StoredAlias> aliases) {
    checkNames(next, groups, aliases);
    List<String> applied = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    for (RecordComponent c : SwitchboardConfig.class.getRecordComponents()) {
      Object before = value(c, old);
      Object after = value(c, next);
      if (Objects.equals(before, after)) continue;
      if (LIVE.contains(c.getName())) {
        applied.add(c.getName());
      } else if ("pricing".equals(c.getName())) {
        for (String key : changed("pricing", before, after)) {
          (LIVE_PRICING.contains(key.substring("pricing.".length())) ? applied : restart).add(key);
        }
      } else {
        restart.addAll(changed(c.getName(), before, after));
      }
    }
    SwitchboardConfig.Pricing pricing = new SwitchboardConfig.Pricing(old.pricing().catalogueUrl(),
        old.pricing().syncIntervalMs(), next.pricing().models(), next.pricing().channels());
    SwitchboardConfig effective = new SwitchboardConfig(old.server(), old.database(), old.redis(), old.limits(), old.routing(),
        old.stats(), old.security(), next.channels(), next.apiKeys(), pricing, old.management(), next.groups(), next.aliases());
    Result result = new Result(List.copyOf(applied), List.copyOf(restart));
    if (applied.isEmpty()) return Future.succeededFuture(result);
    return store.syncDeclaredChannels(next.channels())
        .compose(v -> store.syncDeclaredKeys(next.apiKeys()))
        .compose(v -> {
          live.set(effective);
          return prices.syncDeclared(pricing);
        })
        .compose(n -> vertx.eventBus().request(Addresses.POOL_RELOAD, "reload"))
        .map(result);
  }

  /** A channel of the file must not take the name of a channel made over the API: checked before anything is written. */
  private static void checkChannels(SwitchboardConfig next, List<Channel> stored) {
    for (int i = 0; i < next.channels().size(); i++) {
      String name = next.channels().get(i).name();
      if (stored.stream().anyMatch(c -> c.name().equals(name) && !"config".equals(c.source()))) {
        throw new ConfigException("channels[" + i + "].name", "'" + name + "' is the name of a channel made over the management API");
      }
    }
  }

  /** A group or alias of the file must not take a name the API's groups and aliases hold. */
  private static void checkNames(SwitchboardConfig next, List<StoredGroup> groups, List<StoredAlias> aliases) {
    Set<String> taken = new HashSet<>();
    for (StoredGroup g : groups) {
      taken.add(g.name());
      new JsonObject(g.definition()).getJsonArray("aliases", new JsonArray()).forEach(a -> taken.add((String) a));
    }
    aliases.forEach(a -> taken.add(a.alias()));
    for (GroupConfig g : next.groups()) {
      List<String> names = new ArrayList<>(g.aliases());
      names.add(0, g.name());
      for (String n : names) {
        if (taken.contains(n)) throw new ConfigException("groups", "model name '" + n + "' is used by a group or alias made over the management API");
      }
    }
    for (String a : next.aliases().keySet()) {
      if (taken.contains(a)) throw new ConfigException("aliases." + a, "is used by a group or alias made over the management API");
    }
  }

  private static Object value(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code section.field} for every field that differs, or the section itself when it is not a record. */
  private static List<String> changed(String section, Object before, Object after) {
    if (before == null || after == null || !before.getClass().isRecord() || before.getClass() != after.getClass()) {
      return List.of(section);
    }
    List<String> out = new ArrayList<>();
    for (RecordComponent c : before.getClass().getRecordComponents()) {
      if (!Objects.equals(value(c, before), value(c, after))) out.add(section + "." + c.getName());
    }
    return out;
  }
}
