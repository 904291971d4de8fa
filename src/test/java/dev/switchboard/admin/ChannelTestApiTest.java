package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
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

/** Probing a channel sends one tiny request the way its upstream type wants it, and reports what happened. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ChannelTestApiTest {

  private static final String SECRET = "probe-upstream-secret-0123456789";

  private MockUpstream mock;
  private AdminFixture api;
  private String operator;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    api = AdminFixture.start(TestGateway.builder(vertx));
    operator = api.token("oper");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    if (mock != null) mock.close().await();
  }

  private long channel(String name, String type, String baseUrl, JsonArray models, JsonObject modelMap) {
    JsonObject body = new JsonObject().put("name", name).put("type", type).put("baseUrls", new JsonArray().add(baseUrl))
        .put("models", models).put("keys", new JsonArray().add(SECRET));
    if (modelMap != null) body.put("modelMap", modelMap);
    Reply created = api.post("/channels", operator, body);
    assertEquals(201, created.status(), created.text());
    return created.json().getLong("id");
  }

  private RecordedRequest last() {
    List<RecordedRequest> all = mock.requests();
    return all.get(all.size() - 1);
  }

  @Test
  void aHealthyOpenAiChannelAnswersWithStatusAndLatency() {
    long id = channel("oa", "openai", mock.baseUrl(), new JsonArray().add("fast"), new JsonObject().put("fast", "gpt-up"));
    Reply probe = api.post("/channels/" + id + "/test", operator, null);
    assertEquals(200, probe.status(), probe.text());
    JsonObject r = probe.json();
    assertTrue(r.getBoolean("ok"), r.encode());
    assertEquals(200, r.getInteger("status"));
    assertTrue(r.getLong("latencyMs") >= 0);
    assertEquals("fast", r.getString("model"));
    assertEquals("gpt-up", r.getString("upstreamModel"));
    assertEquals(mock.baseUrl(), r.getString("baseUrl"));
    assertEquals("the upstream answered 200", r.getString("message"));

    RecordedRequest sent = last();
    assertEquals("/v1/chat/completions", sent.path());
    assertEquals("Bearer " + SECRET, sent.header("authorization"));
    assertEquals("gpt-up", sent.body().getString("model"));
    assertEquals(1, sent.body().getInteger("max_tokens"));
    assertFalse(probe.text().contains(SECRET));

    JsonObject audit = api.get("/audit?action=channel.test", api.token("admin")).json();
    assertEquals(1, audit.getLong("total"));
    assertTrue(audit.getJsonArray("items").getJsonObject(0).getJsonObject("details").getBoolean("ok"));
  }

  @Test
  void aFailingProbeReportsTheUpstreamStatusAndMessage() {
    long id = channel("failing", "openai", mock.baseUrl(), new JsonArray().add("m1"), null);
    mock.enqueue(Behavior.status(401));
    JsonObject r = api.post("/channels/" + id + "/test", operator, new JsonObject()).json();
    assertFalse(r.getBoolean("ok"), r.encode());
    assertEquals(401, r.getInteger("status"));
    assertTrue(r.getString("message").startsWith("the upstream refused with 401: "), r.getString("message"));
    assertTrue(r.getString("message").contains("mock failure 401"), r.getString("message"));

    mock.enqueue(Behavior.status(503));
    JsonObject down = api.post("/channels/" + id + "/test", operator, null).json();
    assertFalse(down.getBoolean("ok"));
    assertEquals(503, down.getInteger("status"));
  }

  @Test
  void anUnreachableUpstreamIsStatusZero() {
    long id = channel("nowhere", "openai", "http://127.0.0.1:9/v1", new JsonArray().add("m1"), null);
    JsonObject r = api.post("/channels/" + id + "/test", operator, null).json();
    assertFalse(r.getBoolean("ok"));
    assertEquals(0, r.getInteger("status"));
    assertTrue(r.getString("message").startsWith("no answer: "), r.getString("message"));
  }

  @Test
  void eachUpstreamTypeIsProbedInItsOwnProtocol() {
    long anthropic = channel("an", "anthropic", mock.baseUrl(), new JsonArray().add("claude-x"), null);
    assertTrue(api.post("/channels/" + anthropic + "/test", operator, null).json().getBoolean("ok"));
    RecordedRequest a = last();
    assertEquals("/v1/messages", a.path());
    assertEquals(SECRET, a.header("x-api-key"));
    assertEquals("2023-06-01", a.header("anthropic-version"));
    assertEquals(1, a.body().getInteger("max_tokens"));

    long gemini = channel("ge", "gemini", mock.geminiBaseUrl(), new JsonArray().add("gemini-x"), null);
    JsonObject g = api.post("/channels/" + gemini + "/test", operator, null).json();
    assertTrue(g.getBoolean("ok"), g.encode());
    assertEquals("/v1beta/models/gemini-x:generateContent", last().path());
    assertEquals(SECRET, last().header("x-goog-api-key"));

    long responses = channel("re", "openai-responses", mock.baseUrl(), new JsonArray().add("o-x"), null);
    assertTrue(api.post("/channels/" + responses + "/test", operator, null).json().getBoolean("ok"));
    assertEquals("/v1/responses", last().path());

    long azure = channel("az", "azure-openai", mock.azureBaseUrl(), new JsonArray().add("deploy-x"), null);
    assertTrue(api.post("/channels/" + azure + "/test", operator, null).json().getBoolean("ok"));
    assertEquals("/openai/deployments/deploy-x/chat/completions", last().path());
    assertEquals(SECRET, last().header("api-key"));
  }

  @Test
  void inputIsValidatedAndTheRoleEnforced() {
    long id = channel("v", "openai", mock.baseUrl(), new JsonArray().add("m1").add("m2"), null);
    JsonObject chosen = api.post("/channels/" + id + "/test", operator, new JsonObject().put("model", "m2")).json();
    assertEquals("m2", chosen.getString("model"));
    assertEquals("m2", last().body().getString("model"));

    Reply unknownModel = api.post("/channels/" + id + "/test", operator, new JsonObject().put("model", "m3"));
    assertEquals(400, unknownModel.status());
    assertTrue(unknownModel.json().getJsonObject("error").getJsonObject("fields").containsKey("model"));
    Reply badFields = api.post("/channels/" + id + "/test", operator, new JsonObject().put("credential", "x").put("extra", 1));
    assertEquals(400, badFields.status());
    assertEquals(java.util.Set.of("credential", "extra"), badFields.json().getJsonObject("error").getJsonObject("fields").fieldNames());
    Reply noCredential = api.post("/channels/" + id + "/test", operator, new JsonObject().put("credential", 999_999));
    assertEquals(400, noCredential.status());
    assertEquals(404, api.post("/channels/999999/test", operator, null).status());
    int before = mock.requestCount();
    assertEquals(403, api.post("/channels/" + id + "/test", api.token("view"), null).status());
    assertEquals(401, api.post("/channels/" + id + "/test", null, null).status());
    assertEquals(before, mock.requestCount(), "a refused caller probes nothing");
  }

  @Test
  void anUpstreamThatEchoesTheKeyDoesNotGetItIntoTheAnswer() {
    String echoed = ChannelProbe.clean("Incorrect API key provided: " + SECRET + " (or probe-upstream-se***6789).", SECRET);
    assertFalse(echoed.contains(SECRET), echoed);
    assertFalse(echoed.contains("probe-upstream-se"), echoed);
    assertTrue(echoed.startsWith("Incorrect API key provided: "), echoed);
    assertEquals("invalid key", ChannelProbe.upstreamMessage("{\"error\":{\"message\":\"invalid key\",\"type\":\"x\"}}"));
    assertEquals("quota", ChannelProbe.upstreamMessage("[{\"error\":{\"code\":429,\"message\":\"quota\"}}]"));
    assertEquals("plain text", ChannelProbe.upstreamMessage("plain text"));
    assertTrue(ChannelProbe.shorten("x".repeat(1_000)).length() <= ChannelProbe.MAX_MESSAGE + 1);
  }
}
