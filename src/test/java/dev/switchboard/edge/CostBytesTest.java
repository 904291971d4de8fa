package dev.switchboard.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With {@code returnCost} off the pass-through relay gives the client the upstream's bytes as
 * they are, whole or streamed; with it on, only the usage object (or the usage event) differs.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CostBytesTest {

  private static final String PLAIN = "sk-client-plain-bytes-00000000001";
  private static final String COSTLY = "sk-client-costly-bytes-0000000001";
  // spacing no encoder would write: any re-encoding shows
  private static final String HEAD = "{ \"id\" : \"c1\",  \"object\": \"chat.completion\", \"created\": 1, \"model\": \"m\","
      + " \"choices\": [ {\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"Hi  there\"},"
      + " \"finish_reason\": \"stop\"} ], \"usage\": ";
  private static final String USAGE = "{ \"prompt_tokens\": 40, \"completion_tokens\": 12, \"total_tokens\": 52 }";
  private static final String WHOLE = HEAD + USAGE + " }";
  private static final String CHUNK = "data: { \"id\": \"c1\", \"object\": \"chat.completion.chunk\", \"created\": 1, \"model\": \"m\","
      + " \"choices\": [ {\"index\": 0, \"delta\": {\"content\": \"Hi  there\"}, \"finish_reason\": null} ] }\n\n";
  private static final String LAST = "data: {\"id\": \"c1\", \"object\": \"chat.completion.chunk\", \"created\": 1, \"model\": \"m\","
      + " \"choices\": [ {\"index\": 0, \"delta\": {}, \"finish_reason\": \"stop\"} ] }\n\n";
  private static final String USAGE_CHUNK = "data: {\"id\": \"c1\", \"object\": \"chat.completion.chunk\", \"created\": 1,"
      + " \"model\": \"m\", \"choices\": [], \"usage\": " + USAGE + "}\n\n";
  private static final String STREAM = CHUNK + LAST + USAGE_CHUNK + "data: [DONE]\n\n";
  /** 40 × 2.5 + 12 × 10 = 220 per million. */
  private static final String COSTED_USAGE = "{\"prompt_tokens\":40,\"completion_tokens\":12,\"total_tokens\":52,\"cost\":0.00022}";

  private HttpServer upstream;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      boolean stream = Boolean.TRUE.equals(body.toJsonObject().getValue("stream"));
      req.response().putHeader("content-type", stream ? "text/event-stream" : "application/json").end(stream ? STREAM : WHOLE);
    })).listen(0, "127.0.0.1").await();
    gateway = TestGateway.builder(vertx)
        .apiKey(new JsonObject().put("name", "plain").put("key", PLAIN))
        .apiKey(new JsonObject().put("name", "costly").put("key", COSTLY).put("returnCost", true))
        .channel(TestGateway.channel("fixed", "http://127.0.0.1:" + upstream.actualPort() + "/v1", "m"))
        .pricing("models", new JsonObject().put("m", new JsonObject().put("input", 2.5).put("output", 10)))
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close().await();
  }

  private TestGateway.Reply ask(String key, boolean stream) {
    JsonObject body = new JsonObject().put("model", "m").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    if (stream) body.put("stream_options", new JsonObject().put("include_usage", true));
    return gateway.send(HttpMethod.POST, "/v1/chat/completions", key, body.toBuffer(), null).await();
  }

  @Test
  void withoutTheSwitchAWholeAnswerIsTheUpstreamsBytes() {
    TestGateway.Reply reply = ask(PLAIN, false);
    assertEquals(WHOLE, reply.text());
    assertNull(reply.header("x-switchboard-cost"));
  }

  @Test
  void withTheSwitchOnlyTheUsageObjectOfAWholeAnswerChanges() {
    TestGateway.Reply reply = ask(COSTLY, false);
    assertEquals(HEAD + COSTED_USAGE + " }", reply.text());
    assertEquals("0.00022", reply.header("x-switchboard-cost"));
  }

  @Test
  void withoutTheSwitchAStreamIsTheUpstreamsBytes() {
    assertEquals(STREAM, ask(PLAIN, true).text());
  }

  @Test
  void withTheSwitchOnlyTheUsageEventOfAStreamChanges() {
    String usageEvent = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],"
        + "\"usage\":" + COSTED_USAGE + "}\n\n";
    assertEquals(CHUNK + LAST + usageEvent + "data: [DONE]\n\n", ask(COSTLY, true).text());
  }
}
