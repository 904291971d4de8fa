package dev.switchboard.bench.jmh;

import dev.switchboard.translate.openai.ChatCompletionsRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reading a Chat Completions request and writing it for the upstream (model renamed, usage
 * switched on for the stream), on a ~2 KB and a ~200 KB body of a multi-turn conversation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChatCompletionsRequestBench {

  @Param({"2048", "204800"})
  public int bodyBytes;

  private Buffer body;

  @Setup
  public void setup() {
    JsonArray messages = new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "You are a helpful assistant. Answer briefly."));
    String turn = "Please summarise the following paragraph about \"proxies\" and their latency:\n"
        + "A reverse proxy sits between clients and servers; each hop adds parsing, copying and a "
        + "scheduling delay, which is why gateways measure their overhead in microseconds. ";
    int i = 0;
    while (new JsonObject().put("messages", messages).encode().length() < bodyBytes - 200) {
      messages.add(new JsonObject().put("role", i++ % 2 == 0 ? "user" : "assistant").put("content", turn));
    }
    body = new JsonObject()
        .put("model", "gpt-4o-mini")
        .put("messages", messages)
        .put("temperature", 0.2)
        .put("max_tokens", 256)
        .put("stream", true)
        .toBuffer();
  }

  @Benchmark
  public Object parse() throws Exception {
    return ChatCompletionsRequest.parse(body);
  }

  @Benchmark
  public Object parseAndForUpstream() throws Exception {
    return ChatCompletionsRequest.parse(body).forUpstream("gpt-4o-mini-2024-07-18");
  }
}
