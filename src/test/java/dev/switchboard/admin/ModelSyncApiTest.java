package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A channel's models synced from its upstream's own listing, per protocol, against the mock over real sockets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ModelSyncApiTest {

  private static final String SECRET = "sk-upstream-sync-0123456789abcdef";
  private static final String CLIENT = "sk-client-sync-0123456789";

  private MockUpstream mock;
  private AdminFixture api;
  private String operator;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(TestGateway.channel("declared", mock.baseUrl(), "d1").put("keys", new JsonArray().add(SECRET)))
        .clientKey("client", CLIENT));
    operator = api.token("oper");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  private long channel(String type, String baseUrl, String... models) {
    Reply r = api.post("/channels", operator, new JsonObject().put("name", type + "-ch").put("type", type)
        .put("baseUrls", new JsonArray().add(baseUrl)).put("models", new JsonArray(List.of((Object[]) models)))
        .put("keys", new JsonArray().add(SECRET)));
    assertEquals(201, r.status(), r.text());
    return r.json().getLong("id");
  }

  private Reply sync(long id, JsonObject body) {
    return api.post("/channels/" + id + "/models/sync", operator, body);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(o -> out.add((String) o));
    return out;
  }

  private static List<String> many(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void openAiListingIsComparedThenMergedThenReplacedAndRoutedAtOnce() {
    long id = channel("openai", mock.baseUrl(), "m-a", "old", "pat-*");
    mock.listModels("m-a", "m-b", "m-c");
    Reply dry = api.post("/channels/" + id + "/models/sync", operator, null);
    assertEquals(200, dry.status(), dry.text());
    assertEquals(List.of("m-a", "m-b", "m-c"), strings(dry.json().getJsonArray("found")));
    assertEquals(List.of("m-b", "m-c"), strings(dry.json().getJsonArray("added")));
    assertEquals(List.of("old"), strings(dry.json().getJsonArray("removed")), "patterns are never counted as removed");
    assertFalse(dry.json().getBoolean("applied"));
    RecordedRequest listing = mock.listings().get(mock.listings().size() - 1);
    assertEquals("/v1/models", listing.path());
    assertEquals("Bearer " + SECRET, listing.header("authorization"));
    assertEquals(List.of("m-a", "old", "pat-*"), strings(api.get("/channels/" + id, operator).json().getJsonArray("models")),
        "a sync without apply changes nothing");

    Reply merged = sync(id, new JsonObject().put("apply", true));
    assertEquals(200, merged.status(), merged.text());
    assertEquals(List.of("m-a", "old", "pat-*", "m-b", "m-c"), strings(merged.json().getJsonArray("models")));
    Reply chat = api.gateway.call(CLIENT, new JsonObject().put("model", "m-c")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertEquals(200, chat.status(), "a synced model is routed at once: " + chat.text());

    Reply replaced = sync(id, new JsonObject().put("mode", "replace"));
    assertEquals(200, replaced.status(), replaced.text());
    assertEquals("replace", replaced.json().getString("mode"));
    assertEquals(List.of("m-a", "m-b", "m-c"), strings(api.get("/channels/" + id, operator).json().getJsonArray("models")));
    JsonArray audit = api.get("/audit?action=channel.models.sync", api.token("admin")).json().getJsonArray("items");
    assertEquals(2, audit.size());
  }

  @Test
  void anthropicListingIsPagedWithItsHeaders() {
    long id = channel("anthropic", mock.baseUrl(), "claude-x");
    List<String> listed = many("claude-", MockUpstream.PAGE_CAP * 2 + 5);
    mock.listModels(listed.toArray(String[]::new));
    Reply r = sync(id, new JsonObject());
    assertEquals(200, r.status(), r.text());
    assertEquals(listed, strings(r.json().getJsonArray("found")));
    List<RecordedRequest> pages = mock.listings();
    assertEquals(3, pages.size(), "three pages of at most " + MockUpstream.PAGE_CAP);
    for (RecordedRequest p : pages) {
      assertEquals("/v1/models", p.path());
      assertEquals(SECRET, p.header("x-api-key"));
      assertEquals("2023-06-01", p.header("anthropic-version"));
    }
    assertEquals(listed.get(MockUpstream.PAGE_CAP - 1), pages.get(1).queryParam("after_id"));
  }

  @Test
  void geminiListingIsPagedAndItsNamesLoseTheirPrefix() {
    long id = channel("gemini", mock.geminiBaseUrl(), "gemini-old");
    List<String> listed = many("gemini-", MockUpstream.PAGE_CAP + 3);
    mock.listModels(listed.toArray(String[]::new));
    Reply r = sync(id, new JsonObject().put("mode", "merge"));
    assertEquals(200, r.status(), r.text());
    assertEquals(listed, strings(r.json().getJsonArray("found")));
    assertTrue(r.json().getBoolean("applied"));
    assertEquals(listed.size() + 1, r.json().getJsonArray("models").size());
    List<RecordedRequest> pages = mock.listings();
    assertEquals(2, pages.size());
    assertEquals("/v1beta/models", pages.get(0).path());
    assertEquals(SECRET, pages.get(1).header("x-goog-api-key"));
    assertEquals(String.valueOf(MockUpstream.PAGE_CAP), pages.get(1).queryParam("pageToken"));
  }

  @Test
  void anUpstreamRefusalIsA502WithoutTheKeyAndChangesNothing() {
    long id = channel("openai", mock.baseUrl(), "m-a");
    mock.failListings(401);
    Reply r = sync(id, new JsonObject().put("apply", true));
    assertEquals(502, r.status(), r.text());
    assertEquals("upstream_error", r.json().getJsonObject("error").getString("code"));
    assertTrue(r.json().getJsonObject("error").getString("message").contains("401"), r.text());
    assertFalse(r.text().contains(SECRET.substring(3, 20)), "no piece of the key: " + r.text());
    assertEquals(List.of("m-a"), strings(api.get("/channels/" + id, operator).json().getJsonArray("models")));
  }

  @Test
  void fileChannelsAreComparedButNotChangedAndInputIsChecked() {
    long declared = api.get("/channels?source=config", operator).json().getJsonArray("items").getJsonObject(0).getLong("id");
    mock.listModels("d1", "d2");
    Reply dry = sync(declared, new JsonObject());
    assertEquals(200, dry.status(), dry.text());
    assertEquals(List.of("d2"), strings(dry.json().getJsonArray("added")));
    Reply apply = sync(declared, new JsonObject().put("apply", true));
    assertEquals(409, apply.status());
    assertEquals("read_only", apply.json().getJsonObject("error").getString("code"));

    Reply bad = sync(declared, new JsonObject().put("mode", "everything").put("extra", 1));
    assertEquals(400, bad.status());
    JsonObject fields = bad.json().getJsonObject("error").getJsonObject("fields");
    assertTrue(fields.containsKey("mode") && fields.containsKey("extra"), fields.encode());
    assertEquals(403, api.post("/channels/" + declared + "/models/sync", api.token("view"), new JsonObject()).status());
    assertEquals(404, sync(999_999, new JsonObject()).status());
  }
}
