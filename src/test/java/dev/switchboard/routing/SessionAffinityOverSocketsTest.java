package dev.switchboard.routing;

import static dev.switchboard.routing.Wire.chat;
import static dev.switchboard.routing.Wire.keysSeen;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Session affinity over real sockets, with two credentials picked at random (each 1/2): the
 * requests of one session, named by {@code x-session-id} or by the same first messages, all reach
 * one credential (by chance: 2^-19 for 20); when it fails, the session moves to the other and
 * stays there, even once the first is healthy again (2^-20 by chance). Without a shared session,
 * both credentials serve (a control: one only by chance 2^-39 for 40).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionAffinityOverSocketsTest {

  private static final String KEY = "sk-client-affinity-000000000001";
  private static final String MODEL = "gpt-4o";

  private Vertx vertx;
  private MockUpstream a;
  private MockUpstream b;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    a = MockUpstream.start(vertx).await();
    b = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(Wire.channel("a", a, MODEL, "sk-a"))
        .channel(Wire.channel("b", b, MODEL, "sk-b"))
        .group(new JsonObject().put("name", MODEL).put("strategy", "random")
            .put("members", new JsonArray().add(new JsonObject().put("channel", "a")).add(new JsonObject().put("channel", "b"))))
        .clientKey("client", KEY)
        .routing("retries", 2).routing("affinityTtl", "1h")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  private Reply send(JsonObject body, MultiMap headers) {
    Reply r = gateway.send(HttpMethod.POST, "/v1/chat/completions", KEY, body.toBuffer(), headers).await();
    assertEquals(200, r.status(), r.text());
    return r;
  }

  /** Upstream keys seen by both mocks together. */
  private Map<String, Integer> seen() {
    Map<String, Integer> all = keysSeen(a);
    keysSeen(b).forEach((k, n) -> all.merge(k, n, Integer::sum));
    return all;
  }

  private int count(String upstreamKey) {
    return seen().getOrDefault(upstreamKey, 0);
  }

  @Test
  void withoutASharedSessionBothCredentialsServe() {
    for (int i = 0; i < 40; i++) send(chat(MODEL, "conversation " + i), null);
    assertTrue(count("Bearer sk-a") > 0 && count("Bearer sk-b") > 0, seen().toString());
  }

  @Test
  void theSameSessionHeaderSticksToOneCredentialAndMovesWhenItFails() {
    MultiMap session = MultiMap.caseInsensitiveMultiMap().add("x-session-id", "session-7f3a");
    // every body differs, so only the header ties the requests together
    stickThenMove(i -> chat(MODEL, "turn " + i), session);
  }

  @Test
  void theSameFirstMessagesStickToOneCredentialAndMoveWhenItFails() {
    // a conversation that grows: the system prompt and first user turn stay, later turns differ
    stickThenMove(i -> {
      JsonArray messages = new JsonArray()
          .add(new JsonObject().put("role", "system").put("content", "You review pull requests."))
          .add(new JsonObject().put("role", "user").put("content", "Please review PR 1234."));
      for (int t = 0; t < i; t++) {
        messages.add(new JsonObject().put("role", "assistant").put("content", "answer " + t))
            .add(new JsonObject().put("role", "user").put("content", "follow-up " + t));
      }
      return new JsonObject().put("model", MODEL).put("messages", messages);
    }, null);
  }

  private void stickThenMove(IntFunction<JsonObject> request, MultiMap headers) {
    for (int i = 0; i < 20; i++) send(request.apply(i), headers);
    Map<String, Integer> first = seen();
    assertEquals(1, first.size(), "20 requests of one session, one credential: " + first);
    String bound = first.keySet().iterator().next();
    assertEquals(20, first.get(bound));
    String other = bound.equals("Bearer sk-a") ? "Bearer sk-b" : "Bearer sk-a";
    MockUpstream boundMock = bound.equals("Bearer sk-a") ? a : b;

    // the bound credential starts failing: the session's next request is served by the other
    boundMock.defaultBehavior(Behavior.status(500));
    Reply moved = send(request.apply(20), headers);
    assertEquals(21, count(bound), "tried its bound credential first");
    assertEquals(1, count(other));
    assertTrue(moved.header("x-switchboard-route").contains("attempts=2"), moved.header("x-switchboard-route"));

    // and stays there, even once the first credential answers again
    boundMock.defaultBehavior(Behavior.ok());
    for (int i = 21; i < 41; i++) send(request.apply(i), headers);
    assertEquals(21, count(bound), "nothing more to the credential the session left: " + seen());
    assertEquals(21, count(other));
  }
}
