package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /config/reload} re-reads the file the gateway started with: what may change applies at once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ConfigReloadApiTest {

  private static final String CLIENT = "sk-client-reload-0123456789";
  private static final String NEW_CLIENT = "sk-client-added-by-reload-01";

  private MockUpstream mock;
  private AdminFixture api;
  private String admin;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(TestGateway.channel("first", mock.baseUrl(), "up-1"))
        .channel(TestGateway.channel("second", mock.baseUrl(), "up-2"))
        .group(new JsonObject().put("name", "g").put("members", new JsonArray().add(new JsonObject().put("channel", "first").put("model", "up-1"))))
        .clientKey("client", CLIENT));
    admin = api.token("admin");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  private void edit(Consumer<JsonObject> change) {
    try {
      JsonObject file = new JsonObject(Files.readString(api.gateway.configFile()));
      change.accept(file);
      Files.writeString(api.gateway.configFile(), file.encodePrettily());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void write(String text) {
    try {
      Files.writeString(api.gateway.configFile(), text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The status of a chat for {@code model} with {@code key}, and the upstream model the mock saw (null if none). */
  private List<String> chat(String key, String model) {
    int before = mock.requests().size();
    Reply r = api.gateway.call(key, new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    var seen = mock.requests();
    return java.util.Arrays.asList(String.valueOf(r.status()), seen.size() > before ? seen.get(seen.size() - 1).body().getString("model") : null);
  }

  private static List<String> strings(JsonArray a) {
    return a.stream().map(String.class::cast).toList();
  }

  @Test
  void aChangedFileChangesRoutingAtOnceAndReportsWhatNeedsARestart() {
    assertEquals(List.of("200", "up-1"), chat(CLIENT, "g"));
    int retries = api.get("/config", admin).json().getJsonObject("routing").getInteger("retries");
    edit(file -> {
      file.put("groups", new JsonArray().add(new JsonObject().put("name", "g")
          .put("members", new JsonArray().add(new JsonObject().put("channel", "second").put("model", "up-2"))))
          .add(new JsonObject().put("name", "h").put("members", new JsonArray().add("first"))));
      file.put("aliases", new JsonObject().put("g-alias", "g"));
      file.getJsonArray("channels").add(TestGateway.channel("third", mock.baseUrl(), "up-3"));
      file.getJsonArray("apiKeys").add(new JsonObject().put("name", "added").put("key", NEW_CLIENT));
      file.getJsonObject("routing").put("retries", retries + 1);
      file.getJsonObject("server").put("shutdownGrace", "17s");
    });
    Reply r = api.post("/config/reload", admin, null);
    assertEquals(200, r.status(), r.text());
    assertEquals(List.of("channels", "apiKeys", "groups", "aliases"), strings(r.json().getJsonArray("applied")));
    assertTrue(strings(r.json().getJsonArray("restartRequired")).containsAll(List.of("routing.retries", "server.shutdownGraceMs")), r.text());

    assertEquals(List.of("200", "up-2"), chat(CLIENT, "g"), "the group's new member serves at once");
    assertEquals(List.of("200", "up-2"), chat(CLIENT, "g-alias"));
    assertEquals(List.of("200", "h"), chat(CLIENT, "h"));
    assertEquals(List.of("200", "up-3"), chat(NEW_CLIENT, "up-3"), "a new channel and a new client key work at once");
    JsonObject config = api.get("/config", admin).json();
    assertEquals(retries, config.getJsonObject("routing").getInteger("retries"), "a restart-only key keeps its value");
    assertEquals(2, config.getJsonArray("groups").size());
    assertEquals("config", api.get("/groups/h", admin).json().getString("source"), "the file's new group is listed read-only");

    Reply again = api.post("/config/reload", admin, null);
    assertEquals(List.of(), strings(again.json().getJsonArray("applied")), "nothing new to apply");
    JsonArray audit = api.get("/audit?action=config.reload", admin).json().getJsonArray("items");
    assertEquals(2, audit.size());
  }

  @Test
  void anInvalidFileIsA400AndTheConfigurationInForceStays() {
    edit(file -> file.put("groups", new JsonArray().add(new JsonObject().put("name", "g").put("strategy", "bogus")
        .put("members", new JsonArray().add("second")))));
    Reply r = api.post("/config/reload", admin, null);
    assertEquals(400, r.status(), r.text());
    assertEquals("invalid_config", r.json().getJsonObject("error").getString("code"));
    assertTrue(r.json().getJsonObject("error").getString("message").contains("unknown strategy 'bogus'"), r.text());
    assertEquals(List.of("200", "up-1"), chat(CLIENT, "g"));

    write("channels: [ {name: broken");
    Reply yaml = api.post("/config/reload", admin, null);
    assertEquals(400, yaml.status(), yaml.text());
    assertEquals("invalid_config", yaml.json().getJsonObject("error").getString("code"));
    assertEquals(List.of("200", "up-1"), chat(CLIENT, "g"));
    assertEquals(403, api.post("/config/reload", api.token("oper"), null).status());
  }

  @Test
  void theFileMayNotTakeANameAGroupMadeOverTheApiHolds() {
    Reply made = api.post("/groups", api.token("oper"), new JsonObject().put("name", "api-group").put("members", new JsonArray().add("second")));
    assertEquals(201, made.status(), made.text());
    edit(file -> file.put("aliases", new JsonObject().put("api-group", "up-1")));
    Reply r = api.post("/config/reload", admin, null);
    assertEquals(400, r.status(), r.text());
    assertTrue(r.json().getJsonObject("error").getString("message").contains("api-group"), r.text());
    assertEquals(List.of("200", "api-group"), chat(CLIENT, "api-group"), "the API's group still routes");

    Reply channel = api.post("/channels", api.token("oper"), new JsonObject().put("name", "runtime")
        .put("baseUrls", new JsonArray().add(mock.baseUrl())).put("models", new JsonArray().add("rt")));
    assertEquals(201, channel.status(), channel.text());
    edit(file -> {
      file.remove("aliases");
      file.getJsonArray("channels").add(TestGateway.channel("runtime", mock.baseUrl(), "other"));
    });
    Reply taken = api.post("/config/reload", admin, null);
    assertEquals(400, taken.status(), taken.text());
    assertTrue(taken.json().getJsonObject("error").getString("message").contains("channels[2].name"), taken.text());
    assertEquals(List.of("200", "rt"), chat(CLIENT, "rt"), "the run-time channel is untouched");
  }

  @Test
  void aKeyLimitFromTheReloadedFileAppliesToTheNextRequest() {
    assertEquals(List.of("200", "up-1"), chat(CLIENT, "up-1"));
    assertEquals(List.of("200", "up-1"), chat(CLIENT, "up-1"));
    edit(file -> file.getJsonArray("apiKeys").getJsonObject(0).put("limits", new JsonObject().put("rpm", 1)));
    Reply r = api.post("/config/reload", admin, null);
    assertEquals(List.of("apiKeys"), strings(r.json().getJsonArray("applied")), r.text());
    assertEquals(List.of("200", "up-1"), chat(CLIENT, "up-1"));
    assertEquals("429", chat(CLIENT, "up-1").get(0), "the second request within the minute is over the new limit");
  }
}
