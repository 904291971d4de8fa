package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request log over real sockets: each proxied request is logged with its routing trail
 * (attempts, skipped candidates and why, the session's binding), found by the id its client got,
 * filtered and paged; viewers read it, nobody else; no secret is ever shown.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class RequestLogApiTest {

  private static final String ALICE = "sk-reqlog-alice-0000000000001";
  private static final String LIMITED = "sk-reqlog-limited-00000000002";
  private static final String MODEL = "gpt-4o";
  private static final String SOLO = "solo-model";
  private static final String UPSTREAM_SECRET = "sk-upstream-never-shown-0001";

  private MockUpstream primary;
  private MockUpstream backup;
  private MockUpstream solo;
  private AdminFixture api;
  private String viewer;
  private long logged;

  @BeforeEach
  void start(Vertx vertx) {
    primary = MockUpstream.start(vertx).await();
    backup = MockUpstream.start(vertx).await();
    solo = MockUpstream.start(vertx).await();
    api = AdminFixture.start(TestGateway.builder(vertx)
        .channel(channel("primary", primary, MODEL, UPSTREAM_SECRET))
        .channel(channel("backup", backup, MODEL, "sk-upstream-backup-0002"))
        .channel(channel("solo", solo, SOLO, "sk-upstream-solo-0003").put("limits", new JsonObject().put("rpd", 1)))
        .channel(channel("spare", backup, SOLO, "sk-upstream-spare-0004"))
        .group(tiers(MODEL, "primary", "backup"))
        .group(tiers(SOLO, "solo", "spare"))
        .clientKey("alice", ALICE)
        .apiKey(new JsonObject().put("name", "limited").put("key", LIMITED).put("limits", new JsonObject().put("rpd", 1)))
        .routing("retries", 2));
    viewer = api.token("view");
  }

  @AfterEach
  void stop() {
    if (api != null) api.close();
    for (MockUpstream m : new MockUpstream[] {primary, backup, solo}) {
      if (m != null) m.close().await();
    }
  }

  private static JsonObject channel(String name, MockUpstream mock, String model, String key) {
    return TestGateway.channel(name, mock.baseUrl(), model).put("keys", new JsonArray().add(key));
  }

  /** A group whose first tier is {@code first} and second {@code second}: failover order is fixed. */
  private static JsonObject tiers(String name, String first, String second) {
    return new JsonObject().put("name", name).put("tiers", new JsonArray()
        .add(new JsonObject().put("strategy", "round_robin").put("members", new JsonArray().add(new JsonObject().put("channel", first))))
        .add(new JsonObject().put("strategy", "fill_first").put("members", new JsonArray().add(new JsonObject().put("channel", second)))));
  }

  private static JsonObject chat(String model, String text, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  private Reply send(String key, JsonObject body, String session) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (session != null) headers.add("x-session-id", session);
    Reply r = api.gateway.send(HttpMethod.POST, "/v1/chat/completions", key, body.toBuffer(), headers).await();
    assertNotNull(r.header("x-request-id"), "every answer names its request");
    logged++;
    return r;
  }

  /** Waits until every request sent so far is in the log. */
  private void settle() {
    assertEquals(logged, api.gateway.awaitUsageCount(logged));
  }

  private JsonObject entry(Reply reply) {
    settle();
    Reply r = api.get("/requests/" + reply.header("x-request-id"), viewer);
    assertEquals(200, r.status(), r.text());
    return r.json();
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void aFailoverIsLoggedWithBothAttemptsTheirReasonsAndTheFinalChannel() {
    primary.enqueue(Behavior.status(500));
    Reply served = send(ALICE, chat(MODEL, "fail over", false), "conversation-1");
    assertEquals(200, served.status(), served.text());

    JsonObject e = entry(served);
    assertEquals(served.header("x-request-id"), e.getString("requestId"));
    assertEquals(200, e.getInteger("status"));
    assertEquals(2, e.getInteger("attempts"));
    assertEquals("backup", e.getJsonObject("channel").getString("name"), e.encode());
    assertEquals("alice", e.getJsonObject("key").getString("name"));
    assertEquals(MODEL, e.getString("model"));
    assertEquals(MODEL, e.getString("group"));

    JsonObject trail = e.getJsonObject("trail");
    assertEquals(MODEL, trail.getString("group"));
    assertEquals("new", trail.getString("session"), "the session had no binding yet");
    List<JsonObject> attempts = objects(trail.getJsonArray("attempts"));
    assertEquals(2, attempts.size(), trail.encode());
    JsonObject first = attempts.get(0);
    assertEquals("primary", first.getString("channel"));
    assertEquals(0, first.getInteger("tier"));
    assertEquals("round_robin", first.getString("strategy"));
    assertEquals(500, first.getInteger("status"));
    assertEquals("server_error", first.getString("outcome"));
    assertEquals(primary.baseUrl(), first.getString("baseUrl"));
    assertEquals(MODEL, first.getString("upstreamModel"));
    assertTrue(first.getLong("credentialId") > 0);
    assertTrue(first.getLong("latencyMs") >= 0);
    JsonObject second = attempts.get(1);
    assertEquals("backup", second.getString("channel"));
    assertEquals(1, second.getInteger("tier"));
    assertEquals("fill_first", second.getString("strategy"));
    assertEquals(200, second.getInteger("status"));
    assertEquals("success", second.getString("outcome"));
    assertEquals(e.getLong("credentialId"), second.getLong("credentialId"), "the record's credential is the last attempt's");
    assertEquals(List.of(new JsonObject().put("attempt", 2).put("channel", "primary").put("credentialId", first.getLong("credentialId"))
        .put("upstreamModel", MODEL).put("reason", "already tried")), objects(trail.getJsonArray("skipped")),
        "the second pick passed over the first channel because it was tried");

    // the same session again: the binding (backup) gives way to tier 1, usable again, and is broken
    JsonObject back = entry(send(ALICE, chat(MODEL, "again", false), "conversation-1")).getJsonObject("trail");
    assertEquals("broken", back.getString("session"), back.encode());
    assertEquals("primary", objects(back.getJsonArray("attempts")).get(0).getString("channel"));
    // and once more: now bound to primary, which serves it
    JsonObject kept = entry(send(ALICE, chat(MODEL, "and again", false), "conversation-1")).getJsonObject("trail");
    assertEquals("kept", kept.getString("session"), kept.encode());
    assertTrue(objects(kept.getJsonArray("attempts")).get(0).getBoolean("bySession"));

    for (String body : api.bodies) {
      assertFalse(body.contains(UPSTREAM_SECRET) || body.contains(ALICE), "no secret in " + body);
    }
  }

  @Test
  void aCredentialOverItsOwnLimitIsSkippedWithThatReason() {
    assertEquals(200, send(ALICE, chat(SOLO, "one", false), null).status());
    Reply second = send(ALICE, chat(SOLO, "two", false), null);
    assertEquals(200, second.status(), second.text());
    JsonObject trail = entry(second).getJsonObject("trail");
    List<JsonObject> attempts = objects(trail.getJsonArray("attempts"));
    assertEquals(1, attempts.size(), "a full credential is no attempt: " + trail.encode());
    assertEquals("spare", attempts.get(0).getString("channel"));
    assertEquals(Set.of("solo: over its own rpd limit"), objects(trail.getJsonArray("skipped")).stream()
        .map(s -> s.getString("channel") + ": " + s.getString("reason")).collect(Collectors.toSet()));
  }

  @Test
  void aCoolingCredentialIsSkippedWithItsWaitAndTheUpstreamsRetryAfterIsKept(Vertx vertx) {
    primary.defaultBehavior(Behavior.rateLimited(30));
    Reply first = send(ALICE, chat(MODEL, "conversation 0", false), null);
    assertEquals(200, first.status(), first.text());
    JsonObject limited = objects(entry(first).getJsonObject("trail").getJsonArray("attempts")).get(0);
    assertEquals("primary", limited.getString("channel"));
    assertEquals(429, limited.getInteger("status"));
    assertEquals("rate_limited", limited.getString("outcome"));
    assertEquals(30_000, limited.getLong("retryAfterMs"));

    // the edge hears of the bench with the next snapshot: within a few requests primary is passed over, cooling
    String reason = null;
    for (int i = 1; i <= 20 && reason == null; i++) {
      JsonObject trail = entry(send(ALICE, chat(MODEL, "conversation " + i, false), null)).getJsonObject("trail");
      reason = objects(trail.getJsonArray("skipped")).stream()
          .filter(s -> s.getString("channel").equals("primary") && s.getInteger("attempt") == 1)
          .map(s -> s.getString("reason")).findFirst().orElse(null);
      if (reason == null) TestGateway.delay(vertx, 20).await();
    }
    assertNotNull(reason, "primary is skipped while it cools down");
    assertTrue(reason.startsWith("cooling for "), reason);
  }

  @Test
  void aRequestRefusedForItsKeysLimitIsLoggedWithItsStatus() {
    assertEquals(200, send(LIMITED, chat(SOLO, "first", false), null).status());
    Reply refused = send(LIMITED, chat(SOLO, "second", false), null);
    assertEquals(429, refused.status(), refused.text());

    JsonObject e = entry(refused);
    assertEquals(429, e.getInteger("status"));
    assertEquals("rate_limit_exceeded", e.getString("errorClass"));
    assertEquals(0, e.getInteger("attempts"));
    assertNull(e.getJsonObject("channel"), "no channel was tried");
    JsonObject key = e.getJsonObject("key");
    assertEquals("limited", key.getString("name"));
    assertEquals(Set.of("id", "name", "prefix"), key.fieldNames(), "the key by id, name and prefix only");
    assertTrue(e.getJsonObject("trail").getJsonArray("attempts").isEmpty());

    JsonObject page = api.get("/requests?status=429", viewer).json();
    assertEquals(1, page.getLong("total"));
    assertEquals(refused.header("x-request-id"), page.getJsonArray("items").getJsonObject(0).getString("requestId"));
    assertFalse(page.getJsonArray("items").getJsonObject(0).containsKey("trail"), "a page leaves trails out");
    assertFalse(page.encode().contains(LIMITED));
  }

  private List<String> ids(String query) {
    Reply r = api.get("/requests" + query, viewer);
    assertEquals(200, r.status(), r.text());
    return objects(r.json().getJsonArray("items")).stream().map(o -> o.getString("requestId")).toList();
  }

  private long id(String path, String name) {
    return objects(api.get(path, viewer).json().getJsonArray("items")).stream()
        .filter(o -> name.equals(o.getString("name"))).findFirst().orElseThrow().getLong("id");
  }

  @Test
  void filtersSelectAndPagesGoNewestFirst() {
    String a = send(ALICE, chat(MODEL, "plain", false), null).header("x-request-id");
    String b = send(ALICE, chat(MODEL, "streamed", true), null).header("x-request-id");
    String c = send(LIMITED, chat(SOLO, "solo", false), null).header("x-request-id");
    String d = send(LIMITED, chat(SOLO, "refused", false), null).header("x-request-id");
    String unknown = send(ALICE, chat("no-such-model", "x", false), null).header("x-request-id");
    settle();

    assertEquals(List.of(unknown, d, c, b, a), ids(""), "newest first");
    assertEquals(List.of(unknown, b, a), ids("?key=" + id("/keys", "alice")));
    assertEquals(List.of(c), ids("?channel=" + id("/channels", "solo")));
    assertEquals(List.of(d, c), ids("?model=" + SOLO));
    assertEquals(List.of(unknown, d), ids("?status=4xx"));
    assertEquals(List.of(unknown), ids("?status=404"));
    assertEquals(List.of(d), ids("?errorClass=rate_limit_exceeded"));
    assertEquals(List.of(b), ids("?streamed=true"));
    assertEquals(List.of(c, b, a), ids("?status=2xx"));
    assertEquals(List.of(), ids("?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z"));

    JsonObject page = api.get("/requests?limit=2&offset=1", viewer).json();
    assertEquals(5, page.getLong("total"));
    assertEquals(2, page.getInteger("limit"));
    assertEquals(1, page.getInteger("offset"));
    assertEquals(List.of(d, c), objects(page.getJsonArray("items")).stream().map(o -> o.getString("requestId")).toList());

    JsonObject streamed = api.get("/requests/" + b, viewer).json();
    assertTrue(streamed.getBoolean("streamed"));
    assertNotNull(streamed.getLong("ttftMs"));
  }

  @Test
  void viewersReadTheLogAndNobodyElseAndBadQueriesAreRefusedFieldByField() {
    Reply served = send(ALICE, chat(MODEL, "hello", false), null);
    settle();
    String path = "/requests/" + served.header("x-request-id");
    assertEquals(401, api.get("/requests", null).status());
    assertEquals(401, api.get(path, null).status());
    assertEquals(401, api.get(path, "not-a-token").status());
    assertEquals(200, api.get(path, viewer).status());
    assertEquals(200, api.get(path, api.token("oper")).status());
    assertEquals(200, api.get("/requests", api.token("admin")).status());

    Reply missing = api.get("/requests/req_00000000000000000000", viewer);
    assertEquals(404, missing.status());
    assertEquals("not_found", missing.json().getJsonObject("error").getString("code"));
    assertEquals(404, api.get("/requests/" + "x".repeat(300), viewer).status());

    Reply badLimit = api.get("/requests?limit=0", viewer);
    assertEquals(400, badLimit.status(), badLimit.text());
    assertEquals(Set.of("limit"), badLimit.json().getJsonObject("error").getJsonObject("fields").fieldNames());
    Reply bad = api.get("/requests?status=4x&streamed=maybe&key=-1&channel=x&from=yesterday", viewer);
    assertEquals(400, bad.status(), bad.text());
    assertEquals(Set.of("status", "streamed", "key", "channel", "from"),
        bad.json().getJsonObject("error").getJsonObject("fields").fieldNames());
    assertEquals(Set.of("status"), api.get("/requests?status=42", viewer).json().getJsonObject("error")
        .getJsonObject("fields").fieldNames());
    Reply backwards = api.get("/requests?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", viewer);
    assertEquals(400, backwards.status());
  }
}
