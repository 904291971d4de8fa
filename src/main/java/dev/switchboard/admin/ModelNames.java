package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.GroupConfig;
import dev.switchboard.store.AdminStore.StoredAlias;
import dev.switchboard.store.AdminStore.StoredGroup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every model name a group or alias claims, from the configuration file and the API alike,
 * with who claims it: a name routes one way only, so a second claim is a conflict.
 */
final class ModelNames {

  private final Map<String, String> owners = new HashMap<>();

  /** The claims of everything but the stored group {@code exceptGroup} and stored alias {@code exceptAlias} (0: none). */
  ModelNames(SwitchboardConfig config, List<StoredGroup> groups, List<StoredAlias> aliases, long exceptGroup, long exceptAlias) {
    if (config != null) {
      for (GroupConfig g : config.groups()) {
        owners.put(g.name(), "group '" + g.name() + "' of the configuration file");
        g.aliases().forEach(a -> owners.put(a, "an alias of group '" + g.name() + "' of the configuration file"));
      }
      config.aliases().keySet().forEach(a -> owners.put(a, "alias '" + a + "' of the configuration file"));
    }
    for (StoredGroup g : groups) {
      if (g.id() == exceptGroup) continue;
      owners.put(g.name(), "group '" + g.name() + "'");
      JsonArray list = new JsonObject(g.definition()).getJsonArray("aliases", new JsonArray());
      list.forEach(a -> owners.put((String) a, "an alias of group '" + g.name() + "'"));
    }
    for (StoredAlias a : aliases) {
      if (a.id() != exceptAlias) owners.put(a.alias(), "alias '" + a.alias() + "'");
    }
  }

  /** Throws 409 naming {@code field} when {@code name} is claimed already. */
  void claim(String field, String name) {
    String owner = owners.get(name);
    if (owner != null) throw ApiError.conflict(field, "the model name '" + name + "' is already used by " + owner);
  }
}
