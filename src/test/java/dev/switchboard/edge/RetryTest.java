package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MOCK_CONTENT;
import static dev.switchboard.edge.Chat.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.RecordedRequest;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Before the first byte reaches the client, a failed attempt is retried on a lease not yet tried. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RetryTest {

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
  }

  @AfterEach
  void stop() {
    if (gateway != null) gateway.close();
  }

  @Test
  void a500IsRetriedOnTheOtherChannel() {
    gateway = twoChannels().start();
    mock.enqueue(Behavior.status(500));

    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    assertEquals(200, reply.status(), reply.text());
    assertTrue(reply.header("x-switchboard-route").contains("attempts=2"), reply.header("x-switchboard-route"));
    assertEquals(2, distinctKeys().size(), "the retry used the other channel's key");
    assertEquals(1, gateway.awaitUsageCount(1));
    assertEquals(2, ((Number) gateway.query("SELECT attempts FROM usage_records").get(0).get("attempts")).intValue());
  }

  @Test
  void aCredentialTheUpstreamRejectsIsRetriedOnAnotherAndNeverShownToTheClientAs401() {
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL)
            .put("keys", new JsonArray().add("sk-upstream-revoked").add("sk-upstream-good")))
        .clientKey("client", CLIENT_KEY)
        .start();
    mock.defaultBehavior(Behavior.status(401));

    Reply rejected = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    assertEquals(502, rejected.status(), "the client's own key is fine: " + rejected.text());
    assertEquals("upstream_auth_failed", rejected.json().getJsonObject("error").getString("code"));
    assertEquals(2, distinctKeys().size());
    assertFalse(rejected.text().contains("sk-upstream"), "no upstream secret in the answer");
  }

  @Test
  void a429IsRetriedOnTheOtherChannel() {
    gateway = twoChannels().start();
    mock.enqueue(Behavior.rateLimited(30));

    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status(), reply.text());
    assertEquals(MOCK_CONTENT, Chat.streamedContent(reply.text()));
    assertEquals(2, distinctKeys().size());
  }

  @Test
  void aRefusedConnectionIsRetriedOnTheNextChannel() {
    int closedPort = closedPort();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("dead", "http://127.0.0.1:" + closedPort + "/v1", MODEL).put("priority", 10))
        .channel(TestGateway.channel("live", mock.baseUrl(), MODEL))
        .clientKey("client", CLIENT_KEY)
        .start();

    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    assertEquals(200, reply.status(), reply.text());
    String route = reply.header("x-switchboard-route");
    assertTrue(route.contains("channel=live") && route.contains("attempts=2"), route);
    assertEquals(1, mock.requestCount());
  }

  @Test
  void anUpstreamThatNeverAnswersIsRetriedAfterTheFirstByteTimeoutOnAnotherCredential() {
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL)
            .put("keys", new JsonArray().add("sk-upstream-1").add("sk-upstream-2")))
        .clientKey("client", CLIENT_KEY)
        .routing("firstByteTimeout", "300ms")
        .start();
    mock.enqueue(Behavior.hang());

    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status(), reply.text());
    assertEquals(MOCK_CONTENT, Chat.streamedContent(reply.text()));
    assertEquals(2, distinctKeys().size());
    mock.awaitAborted(1).await();
  }

  @Test
  void noRetryWhenRetriesIsZero() {
    gateway = twoChannels().routing("retries", 0).start();
    mock.enqueue(Behavior.status(500));

    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    assertEquals(502, reply.status(), reply.text());
    assertEquals(1, mock.requestCount());
  }

  @Test
  void aRetryNeverReusesACredentialThatFailed() {
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL)
            .put("keys", new JsonArray().add("sk-upstream-1").add("sk-upstream-2").add("sk-upstream-3")))
        .clientKey("client", CLIENT_KEY)
        .routing("retries", 5)
        .start();
    mock.enqueue(Behavior.status(503), Behavior.rateLimited(30));

    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    assertEquals(200, reply.status(), reply.text());
    assertEquals(3, mock.requestCount());
    assertEquals(Set.of("Bearer sk-upstream-1", "Bearer sk-upstream-2", "Bearer sk-upstream-3"), distinctKeys());
  }

  @Test
  void whenEveryCredentialFailedTheClientGetsTheLastFailure() {
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL)
            .put("keys", new JsonArray().add("sk-upstream-1").add("sk-upstream-2")))
        .clientKey("client", CLIENT_KEY)
        .routing("retries", 5)
        .start();
    mock.defaultBehavior(Behavior.status(500));

    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));

    assertEquals(502, reply.status(), reply.text());
    assertEquals(2, mock.requestCount(), "two credentials, two attempts, however many retries are allowed");
    assertEquals(2, distinctKeys().size());
  }

  private TestGateway.Builder twoChannels() {
    return TestGateway.builder(vertx)
        .channel(TestGateway.channel("a", mock.baseUrl(), MODEL).put("keys", new JsonArray().add("sk-upstream-a")))
        .channel(TestGateway.channel("b", mock.baseUrl(), MODEL).put("keys", new JsonArray().add("sk-upstream-b")))
        .clientKey("client", CLIENT_KEY);
  }

  private Set<String> distinctKeys() {
    List<RecordedRequest> seen = mock.requests();
    Set<String> keys = seen.stream().map(r -> r.header("authorization")).collect(Collectors.toSet());
    assertEquals(seen.size(), keys.size(), "no credential was used twice: " + keys);
    keys.forEach(k -> assertNotEquals("Bearer " + CLIENT_KEY, k));
    return keys;
  }

  /** A port that was just free and has nothing listening on it. */
  private int closedPort() {
    var server = vertx.createNetServer().connectHandler(s -> s.close()).listen(0, "127.0.0.1").await();
    int port = server.actualPort();
    server.close().await();
    return port;
  }
}
