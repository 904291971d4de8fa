package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MODEL;
import static dev.switchboard.edge.Chat.OTHER_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every failure reaches the client in OpenAI's error envelope, with the right status and no internals. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ErrorEnvelopeTest {

  private static final String MINI = "gpt-4o-mini";

  private Vertx vertx;
  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL, MINI))
        .clientKey("client", CLIENT_KEY)
        .clientKey("mini-only", OTHER_KEY, MINI)
        .limits("maxBodyBytes", "4KiB")
        .routing("retries", 2)
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void malformedJsonIs400() {
    Reply reply = raw(CLIENT_KEY, Buffer.buffer("{\"model\":\"gpt-4o\",\"messages\":["));
    assertEnvelope(reply, 400, "invalid_request_error");
    assertEquals(0, mock.requestCount());
  }

  @Test
  void bodiesThatAreNotChatRequestsAre400() {
    List<String> bodies = List.of(
        "",
        "[]",
        "\"just a string\"",
        "{\"model\":\"gpt-4o\"}",
        "{\"model\":\"gpt-4o\",\"messages\":\"hi\"}",
        "{\"model\":42,\"messages\":[]}",
        "{\"model\":\"\",\"messages\":[]}",
        "{\"model\":\"gpt-4o\",\"messages\":[],\"stream\":\"yes\"}",
        "{\"model\":\"gpt-4o\",\"messages\":[],\"stream\":true,\"stream_options\":[]}",
        "{\"model\":\"gpt-4o\",\"messages\":[]} trailing",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"unterminated}]}");
    for (String body : bodies) {
      Reply reply = raw(CLIENT_KEY, Buffer.buffer(body));
      assertEquals(400, reply.status(), "for body " + body + ": " + reply.text());
      assertEnvelope(reply, 400, "invalid_request_error");
    }
    assertEquals(0, mock.requestCount());
  }

  @Test
  void missingModelIs400() {
    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL).copy().put("model", (String) null));
    assertEnvelope(reply, 400, "invalid_request_error");
    assertTrue(reply.json().getJsonObject("error").getString("message").contains("model"));
  }

  @Test
  void bodyOverTheLimitWithContentLengthIs413() {
    Reply reply = gateway.call(CLIENT_KEY, bigRequest());
    assertEnvelope(reply, 413, "invalid_request_error");
    assertEquals(0, mock.requestCount());
  }

  @Test
  void chunkedBodyOverTheLimitIs413() {
    Buffer body = bigRequest().toBuffer();
    Reply reply = gateway.request("/v1/chat/completions").compose(req -> {
      req.setChunked(true).putHeader("authorization", "Bearer " + CLIENT_KEY).putHeader("content-type", "application/json");
      Future<Reply> answer = req.response().compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b)));
      writeInPieces(req, body, 1024);
      return answer;
    }).await();
    assertEnvelope(reply, 413, "invalid_request_error");
    assertEquals(0, mock.requestCount());
  }

  @Test
  void missingKeyIs401() {
    Reply reply = gateway.call(null, Chat.request(MODEL));
    assertEnvelope(reply, 401, "invalid_request_error");
  }

  @Test
  void wrongKeyIs401() {
    Reply reply = gateway.call("sk-not-a-key-of-this-gateway", Chat.request(MODEL));
    assertEnvelope(reply, 401, "invalid_request_error");
    assertEquals("invalid_api_key", reply.json().getJsonObject("error").getString("code"));
    assertFalse(reply.text().contains("sk-not-a-key"), "the presented key is not echoed");
  }

  @Test
  void unknownModelIs404() {
    Reply reply = gateway.call(CLIENT_KEY, Chat.request("no-such-model"));
    assertEnvelope(reply, 404, "invalid_request_error");
    assertEquals("model_not_found", reply.json().getJsonObject("error").getString("code"));
  }

  @Test
  void modelNotAllowedForTheKeyIs404() {
    Reply reply = gateway.call(OTHER_KEY, Chat.request(MODEL));
    assertEnvelope(reply, 404, "invalid_request_error");
    assertEquals("model_not_found", reply.json().getJsonObject("error").getString("code"));
    assertEquals(200, gateway.call(OTHER_KEY, Chat.request(MINI)).status());
  }

  @Test
  void everyUpstreamCoolingAfterA429IsStillA429WithTheRemainingWait() {
    mock.defaultBehavior(Behavior.rateLimited(60));
    JsonObject request = Chat.request(MODEL);
    Reply first = gateway.call(CLIENT_KEY, request);
    assertEnvelope(first, 429, "rate_limit_error");
    assertNotNull(first.header("retry-after"));

    // The selector benches the credential for the upstream's retry-after once it hears of the 429;
    // from then on the gateway answers by itself, still as a rate limit, never as "no upstream".
    int reached = mock.requestCount();
    Reply reply = first;
    for (int i = 0; i < 50 && mock.requestCount() == reached + i; i++) {
      TestGateway.delay(vertx, 10).await();
      reply = gateway.call(CLIENT_KEY, request);
    }
    int seen = mock.requestCount();
    reply = gateway.call(CLIENT_KEY, request);
    assertEquals(seen, mock.requestCount(), "answered without the upstream");
    assertEnvelope(reply, 429, "rate_limit_error");
    assertEquals("upstream_rate_limited", reply.json().getJsonObject("error").getString("code"));
    long wait = Long.parseLong(reply.header("retry-after"));
    assertTrue(wait >= 1 && wait <= 60, "the rest of the upstream's 60 s: " + wait);
  }

  @Test
  void upstream500OnEveryAttemptIs502KeepingTheUpstreamStatus() {
    mock.defaultBehavior(Behavior.status(500));
    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));
    assertEnvelope(reply, 502, "upstream_error");
    String message = reply.json().getJsonObject("error").getString("message");
    assertTrue(message.contains("500"), message);
    assertTrue(message.contains("mock failure 500"), message);
  }

  @Test
  void upstream400IsRelayedAsIs() {
    mock.enqueue(Behavior.status(400));
    Reply reply = gateway.call(CLIENT_KEY, Chat.request(MODEL));
    assertEnvelope(reply, 400, "invalid_request_error");
    assertEquals("mock failure 400", reply.json().getJsonObject("error").getString("message"));
    assertEquals(1, mock.requestCount(), "a client error is not retried");
  }

  @Test
  void unknownPathIs404Envelope() {
    Reply reply = gateway.get("/v1/nothing-here", CLIENT_KEY);
    assertEnvelope(reply, 404, "invalid_request_error");
    Reply post = gateway.post("/v2/chat/completions", CLIENT_KEY, Chat.request(MODEL)).await();
    assertEnvelope(post, 404, "invalid_request_error");
  }

  private Reply raw(String key, Buffer body) {
    return gateway.send(HttpMethod.POST, "/v1/chat/completions", key, body, null).await();
  }

  /** A valid request whose body is over the 4 KiB limit. */
  private static JsonObject bigRequest() {
    JsonObject request = Chat.request(MODEL);
    request.getJsonArray("messages").getJsonObject(0).put("content", "x".repeat(8 * 1024));
    return request;
  }

  private static void writeInPieces(HttpClientRequest req, Buffer body, int piece) {
    for (int from = 0; from < body.length(); from += piece) {
      req.write(body.slice(from, Math.min(body.length(), from + piece)));
    }
    req.end();
  }

  /** OpenAI's envelope, the status, the error type, and nothing that looks like a stack trace. */
  static void assertEnvelope(Reply reply, int status, String type) {
    assertEquals(status, reply.status(), reply.text());
    assertTrue(reply.header("content-type").startsWith("application/json"), reply.header("content-type"));
    JsonObject error = reply.json().getJsonObject("error");
    assertNotNull(error, reply.text());
    assertEquals(type, error.getString("type"), reply.text());
    assertNotNull(error.getString("message"));
    assertTrue(error.containsKey("param") && error.containsKey("code"), reply.text());
    assertFalse(reply.text().contains("at dev."), reply.text());
    assertFalse(reply.text().contains("Exception"), reply.text());
  }
}
