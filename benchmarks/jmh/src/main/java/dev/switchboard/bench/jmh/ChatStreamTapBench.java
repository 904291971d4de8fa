package dev.switchboard.bench.jmh;

import dev.switchboard.translate.openai.ChatStreamTap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The usage tap alone, per event, over the 204 events of one stream (already framed): most
 * events are scanned and passed, the usage chunk is parsed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChatStreamTapBench {

  private List<Buffer> events;

  @Setup
  public void setup() {
    events = OpenAiStream.events();
  }

  @Benchmark
  @OperationsPerInvocation(OpenAiStream.EVENTS)
  public Object tapStream() {
    ChatStreamTap tap = new ChatStreamTap(false);
    for (Buffer event : events) {
      tap.onEvent(event);
    }
    return tap.usage();
  }
}
