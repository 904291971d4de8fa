package dev.switchboard.bench.jmh;

import dev.switchboard.json.TopLevelJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
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
 * Finding the usage object of a whole (non-streamed) Chat Completions answer that is relayed as
 * it came: by tokenising the whole answer ({@code scan}, what the relay did before) or by walking
 * its structure ({@code locate}, what it does now), each followed by decoding the usage object
 * alone. Answers of 16 words (the benchmark's scenario 1) and of about 4 KB of text.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnswerUsageBench {

  private static final byte[] USAGE = "usage".getBytes(StandardCharsets.US_ASCII);

  @Param({"16", "700"})
  public int words;

  private Buffer answer;

  @Setup
  public void setup() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) text.append(i == 0 ? "" : " ").append(i % 7 == 0 ? "\"quoted\"" : "word" + i);
    answer = new JsonObject()
        .put("id", "chatcmpl-0123456789").put("object", "chat.completion").put("created", 1_764_000_000L)
        .put("model", "mock-small")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", text.toString()))
            .put("finish_reason", "stop")))
        .put("usage", new JsonObject().put("prompt_tokens", 21).put("completion_tokens", words).put("total_tokens", 21 + words)
            .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0)))
        .toBuffer();
  }

  @Benchmark
  public Object scan() throws Exception {
    TopLevelJson.Field usage = TopLevelJson.scan(answer, Set.of("usage")).get("usage");
    return new JsonObject(answer.slice(usage.start(), usage.end()));
  }

  @Benchmark
  public Object locate() {
    TopLevelJson.Field usage = TopLevelJson.locate(answer, USAGE);
    return new JsonObject(answer.slice(usage.start(), usage.end()));
  }

  @Benchmark
  public Object scanOnly() throws Exception {
    return TopLevelJson.scan(answer, Set.of("usage")).get("usage");
  }

  @Benchmark
  public Object locateOnly() {
    return TopLevelJson.locate(answer, USAGE);
  }
}
