package dev.switchboard.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.ChannelConfig;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.Credential;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** conf/examples/routing.yaml routes the way its comments say. */
class RoutingExampleTest {

  private static final long NOW = 1_000_000;

  @Test
  void theRoutingExampleDoesWhatItsCommentsSay() throws Exception {
    Path file = Path.of("conf/examples/routing.yaml");
    assumeTrue(Files.exists(file), "conf/examples/routing.yaml is not in this checkout");
    Map<String, Object> yaml = new Yaml().load(Files.readString(file));
    SwitchboardConfig config = ConfigLoader.parse(new JsonObject(yaml), Map.of("OPENAI_API_KEY", "sk-1",
        "OPENAI_API_KEY_2", "sk-2", "OPENROUTER_API_KEY", "sk-or", "APP_CLIENT_KEY", "sk-app-0123456789abcdef",
        "TEAM_KEY_SHA256", "0".repeat(64), "TEAM_A_OPENAI_KEY", "sk-team"));
    List<Channel> channels = new ArrayList<>();
    long credentialId = 100;
    for (int i = 0; i < config.channels().size(); i++) {
      ChannelConfig c = config.channels().get(i);
      List<Credential> creds = new ArrayList<>();
      for (String key : c.keys()) creds.add(new Credential(++credentialId, i + 1, key, true));
      channels.add(new Channel(i + 1, c.name(), c.type(), c.baseUrls(), c.models(), c.modelMap(), c.priority(), c.weight(),
          true, "config", creds));
    }
    PoolSnapshot pool = PoolSnapshot.of(1, channels, List.of(), RouteConfig.from(config), Map.of(), Telemetry.NONE);

    Map<String, Integer> byKey = new HashMap<>();
    for (int i = 0; i < 100; i++) byKey.merge(pool.pick("gpt4", Set.of(), NOW).secret(), 1, Integer::sum);
    assertEquals(Map.of("sk-1", 50, "sk-2", 50), byKey, "gpt4 is an alias of gpt-4o: OpenAI keys in turn");
    Lease fallback = pool.pick("gpt-4o", Set.of(101L, 102L), NOW);
    assertEquals("openrouter", fallback.channelName());
    assertEquals("openai/gpt-4o", fallback.upstreamModel());
    assertEquals("gpt-4o-latest", pool.models().stream().filter(m -> m.equals("gpt-4o-latest")).findFirst().orElseThrow());

    assertEquals("local-a", pool.pick("cheap", Set.of(), NOW).channelName(), "lowest cost");
    assertEquals("team-a", pool.pick("teamA/gpt-4o", Set.of(), NOW).channelName());
    assertNull(pool.pick("teamA/gpt-4o-mini", Set.of(), NOW), "team A's channel serves only what it lists");
    Set<String> llama = new HashSet<>();
    for (int i = 0; i < 100; i++) llama.add(pool.pick("llama3.1", Set.of(), NOW).channelName());
    assertEquals(Set.of("local-a"), llama, "local-b is disabled; a name some channel lists is not served by wildcards");
    Set<String> o3 = new HashSet<>();
    for (int i = 0; i < 200; i++) o3.add(pool.pick("o3-mini", Set.of(), NOW).channelName());
    assertEquals(Set.of("openai", "openrouter"), o3, "o* and * wildcards");

    ClientKey team = new ClientKey(2, "team-a", "0".repeat(64), config.apiKeys().get(1).models(), true, "config");
    assertTrue(pool.allows(team, "teamA/gpt-4o"));
    assertTrue(pool.allows(team, "cheap"));
    assertFalse(pool.allows(team, "gpt-4o"));
    assertEquals(5000, pool.keyRules(team).rates().rpd());
    assertTrue(pool.channelRules(1).limits().any());
  }
}
