package dev.switchboard.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upstream that reports no usage, whole or streamed, still leaves a usage record: tokens
 * estimated from the request and the answer, marked estimated, and priced as usual.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EstimatedUsageTest {

  private static final String KEY = "sk-client-estimate-00000000000001";
  private static final String ANSWER = "The gateway counted these words itself, since nobody else did.";

  private HttpServer upstream;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    // an OpenAI-compatible server that never says how many tokens it used, even when asked
    upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      boolean stream = Boolean.TRUE.equals(body.toJsonObject().getValue("stream"));
      if (!stream) {
        req.response().putHeader("content-type", "application/json").end(new JsonObject().put("id", "c1")
            .put("object", "chat.completion").put("created", 1).put("model", "quiet")
            .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
                .put("message", new JsonObject().put("role", "assistant").put("content", ANSWER)))).encode());
        return;
      }
      var resp = req.response().putHeader("content-type", "text/event-stream").setChunked(true);
      for (String piece : ANSWER.split(" ")) {
        resp.write("data: " + chunk(new JsonObject().put("content", piece + " "), null).encode() + "\n\n");
      }
      resp.write("data: " + chunk(new JsonObject(), "stop").encode() + "\n\n");
      resp.end("data: [DONE]\n\n");
    })).listen(0, "127.0.0.1").await();
    gateway = TestGateway.builder(vertx).clientKey("client", KEY)
        .channel(TestGateway.channel("quiet", "http://127.0.0.1:" + upstream.actualPort() + "/v1", "quiet"))
        .pricing("models", new JsonObject().put("quiet", new JsonObject().put("input", 2.5).put("output", 10)))
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close().await();
  }

  private static JsonObject chunk(JsonObject delta, String finish) {
    return new JsonObject().put("id", "c1").put("object", "chat.completion.chunk").put("created", 1).put("model", "quiet")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta).put("finish_reason", finish)));
  }

  @Test
  void aWholeAnswerWithoutUsageIsEstimatedFromItsTextAndPriced() {
    assertEquals(200, gateway.call(KEY, request(false)).status());
    Map<String, Object> row = onlyRecord();
    assertEstimatedAndPriced(row);
  }

  @Test
  void aStreamWithoutUsageIsEstimatedAndPriced() {
    var reply = gateway.send(HttpMethod.POST, "/v1/chat/completions", KEY, request(true).toBuffer(), null).await();
    assertEquals(200, reply.status());
    assertTrue(reply.text().contains("[DONE]"), reply.text());
    Map<String, Object> row = onlyRecord();
    assertEstimatedAndPriced(row);
    assertEquals(ANSWER.split(" ").length + 2L, ((Number) row.get("output_tokens")).longValue(),
        "a token per upstream event: the text deltas, the finishing chunk and [DONE]");
  }

  private static JsonObject request(boolean stream) {
    return new JsonObject().put("model", "quiet").put("stream", stream).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "Answer in one sentence."))
        .add(new JsonObject().put("role", "user").put("content", "Who counts the tokens when the upstream does not?")));
  }

  private Map<String, Object> onlyRecord() {
    gateway.awaitUsageCount(1);
    var rows = gateway.query("SELECT * FROM usage_records");
    assertEquals(1, rows.size());
    return rows.get(0);
  }

  private static void assertEstimatedAndPriced(Map<String, Object> row) {
    long input = ((Number) row.get("input_tokens")).longValue();
    long output = ((Number) row.get("output_tokens")).longValue();
    assertEquals(1L, ((Number) row.get("estimated")).longValue(), row.toString());
    // two messages with their text and framing; an answer of about a dozen tokens
    assertTrue(input >= 20 && input <= 60, "input " + input);
    assertTrue(output >= 10 && output <= 30, "output " + output);
    assertEquals(input * 2_500 + output * 10_000, ((Number) row.get("cost_nanos")).longValue(),
        "priced as usual: 2.5 and 10 per million tokens");
  }
}
