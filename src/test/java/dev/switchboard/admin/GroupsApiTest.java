package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Groups and aliases managed over the API route client requests at once; the file's stay read-only. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class GroupsApiTest {

  private static final String CLIENT = "sk-client-groups-0123456789";

  private MockUpstream mock;
  private AdminFixture api;
  private String operator;
  private String viewer;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(TestGateway.channel("first", mock.baseUrl(), "up-1"))
        .channel(TestGateway.channel("second", mock.baseUrl(), "up-2"))
        .group(new JsonObject().put("name", "yaml-group").put("members", new JsonArray().add("first")))
        .alias("yaml-alias", "up-1")
        .clientKey("client", CLIENT));
    operator = api.token("oper");
    viewer = api.token("view");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  /** Sends a chat request for {@code model}; answers the status and the upstream model the mock saw (null if none). */
  private String[] chat(String model) {
    int before = mock.requests().size();
    Reply r = api.gateway.call(CLIENT, new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    List<dev.switchboard.testing.RecordedRequest> seen = mock.requests();
    String upstream = seen.size() > before ? seen.get(seen.size() - 1).body().getString("model") : null;
    return new String[] {String.valueOf(r.status()), upstream};
  }

  private static JsonObject member(Object channel, String model) {
    return new JsonObject().put("channel", channel).put("model", model);
  }

  private long channelId(String name) {
    JsonArray items = api.get("/channels?q=" + name, viewer).json().getJsonArray("items");
    return items.stream().map(o -> (JsonObject) o).filter(c -> name.equals(c.getString("name"))).findFirst().orElseThrow().getLong("id");
  }

  @Test
  void aCreatedGroupRoutesAtOnceAndChangesAndDeletionsApplyAtOnce() {
    assertNotEquals("200", chat("team")[0], "nothing serves the name before the group exists");
    Reply created = api.post("/groups", operator, new JsonObject().put("name", "team").put("aliases", new JsonArray().add("team-short"))
        .put("strategy", "failover").put("members", new JsonArray().add(member("first", "up-1"))));
    assertEquals(201, created.status(), created.text());
    JsonObject group = created.json();
    assertEquals("api", group.getString("source"));
    assertEquals("failover", group.getJsonArray("tiers").getJsonObject(0).getString("strategy"));
    assertEquals(channelId("first"), group.getJsonArray("tiers").getJsonObject(0).getJsonArray("members").getJsonObject(0).getLong("channel"));
    assertEquals(List.of("200", "up-1"), java.util.Arrays.asList(chat("team")), "the group's member serves the group's name");
    assertEquals(List.of("200", "up-1"), java.util.Arrays.asList(chat("team-short")), "and its alias");

    long id = group.getLong("id");
    Reply changed = api.call(HttpMethod.PATCH, "/groups/" + id, operator, new JsonObject().put("tiers", new JsonArray()
        .add(new JsonObject().put("strategy", "weighted").put("members", new JsonArray().add(member(channelId("second"), "up-2"))))));
    assertEquals(200, changed.status(), changed.text());
    assertEquals("second", changed.json().getJsonArray("tiers").getJsonObject(0).getJsonArray("members").getJsonObject(0).getString("channelName"));
    assertEquals(List.of("200", "up-2"), java.util.Arrays.asList(chat("team")), "the new member (named by id) serves at once");

    Reply viewed = api.get("/groups/" + id, viewer);
    assertEquals(200, viewed.status());
    assertEquals("team", viewed.json().getString("name"));
    assertEquals(200, api.get("/groups/team", viewer).status(), "a group is addressed by its name too");
    assertEquals(403, api.post("/groups", viewer, new JsonObject().put("name", "x").put("members", new JsonArray().add("first"))).status());
    assertEquals(403, api.call(HttpMethod.DELETE, "/groups/" + id, viewer, null).status());

    assertEquals(204, api.call(HttpMethod.DELETE, "/groups/" + id, operator, null).status());
    String[] after = chat("team");
    assertNotEquals("200", after[0], "a deleted group no longer routes");
    assertNull(after[1]);
    assertEquals(404, api.get("/groups/" + id, viewer).status());

    JsonArray audit = api.get("/audit?limit=50", api.token("admin")).json().getJsonArray("items");
    List<String> actions = audit.stream().map(o -> ((JsonObject) o).getString("action")).toList();
    assertTrue(actions.containsAll(List.of("group.create", "group.update", "group.delete")), actions.toString());
  }

  @Test
  void theFilesGroupsAndAliasesAreListedReadOnly() {
    Reply list = api.get("/groups?source=config", viewer);
    assertEquals(200, list.status(), list.text());
    JsonObject yaml = list.json().getJsonArray("items").getJsonObject(0);
    assertEquals("yaml-group", yaml.getString("name"));
    assertEquals("config", yaml.getString("source"));
    assertNull(yaml.getValue("id"));
    api.post("/groups", operator, new JsonObject().put("name", "made").put("members", new JsonArray().add("second")));
    JsonObject all = api.get("/groups?limit=1&sort=-name", viewer).json();
    assertEquals(2, all.getLong("total"));
    assertEquals("yaml-group", all.getJsonArray("items").getJsonObject(0).getString("name"), "paged and sorted");

    Reply patch = api.call(HttpMethod.PATCH, "/groups/yaml-group", operator, new JsonObject().put("aliases", new JsonArray()));
    assertEquals(409, patch.status());
    assertEquals("read_only", patch.json().getJsonObject("error").getString("code"));
    assertEquals(409, api.call(HttpMethod.DELETE, "/groups/yaml-group", operator, null).status());
    assertEquals(List.of("200", "yaml-group"), java.util.Arrays.asList(chat("yaml-group")), "the file's group still routes");

    Reply aliases = api.get("/aliases", viewer);
    assertEquals("config", aliases.json().getJsonArray("items").getJsonObject(0).getString("source"));
    Reply aliasPatch = api.call(HttpMethod.PATCH, "/aliases/yaml-alias", operator, new JsonObject().put("model", "up-2"));
    assertEquals(409, aliasPatch.status());
    assertEquals("read_only", aliasPatch.json().getJsonObject("error").getString("code"));
  }

  @Test
  void namesAreUniqueAcrossTheFileAndTheApi() {
    JsonObject members = new JsonObject().put("members", new JsonArray().add("first"));
    Reply yamlName = api.post("/groups", operator, members.copy().put("name", "yaml-group"));
    assertEquals(409, yamlName.status(), yamlName.text());
    assertEquals("conflict", yamlName.json().getJsonObject("error").getString("code"));
    assertTrue(yamlName.json().getJsonObject("error").getJsonObject("fields").containsKey("name"));
    assertEquals(409, api.post("/groups", operator, members.copy().put("name", "yaml-alias")).status());
    assertEquals(201, api.post("/groups", operator, members.copy().put("name", "g1").put("aliases", new JsonArray().add("g1-alias"))).status());
    Reply aliasTaken = api.post("/groups", operator, members.copy().put("name", "g2").put("aliases", new JsonArray().add("g1-alias")));
    assertEquals(409, aliasTaken.status());
    assertTrue(aliasTaken.json().getJsonObject("error").getJsonObject("fields").containsKey("aliases[0]"));
    assertEquals(409, api.post("/aliases", operator, new JsonObject().put("alias", "g1").put("model", "up-1")).status());
    assertEquals(409, api.post("/aliases", operator, new JsonObject().put("alias", "yaml-group").put("model", "up-1")).status());
    assertEquals(201, api.post("/aliases", operator, new JsonObject().put("alias", "a1").put("model", "up-1")).status());
    assertEquals(409, api.post("/aliases", operator, new JsonObject().put("alias", "a1").put("model", "up-2")).status());
    assertEquals(409, api.post("/groups", operator, members.copy().put("name", "a1")).status());
  }

  @Test
  void invalidGroupsAreRefusedWithTheirFieldNames() {
    Reply bad = api.post("/groups", operator, new JsonObject().put("name", "bad").put("tiers", new JsonArray()
        .add(new JsonObject().put("strategy", "bogus").put("members", new JsonArray().add(member("nope", null))))
        .add(new JsonObject().put("members", new JsonArray().add(new JsonObject().put("channel", 999999).put("weight", -1))))
        .add(new JsonObject().put("members", new JsonArray()))));
    assertEquals(400, bad.status(), bad.text());
    JsonObject fields = bad.json().getJsonObject("error").getJsonObject("fields");
    assertTrue(fields.getString("tiers[0].strategy").contains("unknown strategy 'bogus'"), fields.encode());
    assertTrue(fields.getString("tiers[0].members[0].channel").contains("no channel named 'nope'"), fields.encode());
    assertTrue(fields.containsKey("tiers[1].members[0].channel"), fields.encode());
    assertTrue(fields.containsKey("tiers[1].members[0].weight"), fields.encode());
    assertTrue(fields.containsKey("tiers[2].members"), fields.encode());

    Reply both = api.post("/groups", operator, new JsonObject().put("name", "b").put("members", new JsonArray().add("first"))
        .put("tiers", new JsonArray()).put("colour", "red"));
    assertEquals(400, both.status());
    assertTrue(both.json().getJsonObject("error").getJsonObject("fields").containsKey("tiers"));
    assertTrue(both.json().getJsonObject("error").getJsonObject("fields").containsKey("colour"));
    Reply none = api.post("/groups", operator, new JsonObject());
    assertEquals(400, none.status());
    assertTrue(none.json().getJsonObject("error").getJsonObject("fields").containsKey("name"));
    assertTrue(none.json().getJsonObject("error").getJsonObject("fields").containsKey("members"));
    assertEquals(0, api.get("/groups?source=api", viewer).json().getLong("total"), "nothing was stored");
  }

  @Test
  void anAliasRoutesAtOnceAndCanBeRetargetedAndDeleted() {
    Reply created = api.post("/aliases", operator, new JsonObject().put("alias", "fast").put("model", "up-1"));
    assertEquals(201, created.status(), created.text());
    assertEquals(List.of("200", "up-1"), java.util.Arrays.asList(chat("fast")));
    assertEquals(List.of("200", "up-1"), java.util.Arrays.asList(chat("yaml-alias")), "the file's alias routes too");
    long id = created.json().getLong("id");
    Reply moved = api.call(HttpMethod.PATCH, "/aliases/" + id, operator, new JsonObject().put("model", "up-2"));
    assertEquals(200, moved.status(), moved.text());
    assertEquals(List.of("200", "up-2"), java.util.Arrays.asList(chat("fast")));
    Reply self = api.call(HttpMethod.PATCH, "/aliases/" + id, operator, new JsonObject().put("model", "fast"));
    assertEquals(400, self.status());
    assertTrue(self.json().getJsonObject("error").getJsonObject("fields").containsKey("model"));
    assertEquals(2, api.get("/aliases", viewer).json().getLong("total"));
    assertEquals(403, api.post("/aliases", viewer, new JsonObject().put("alias", "v").put("model", "up-1")).status());
    assertEquals(204, api.call(HttpMethod.DELETE, "/aliases/" + id, operator, null).status());
    assertNotEquals("200", chat("fast")[0]);
  }
}
