package dev.switchboard.bench.jmh;

import dev.switchboard.sse.SseRelay;
import dev.switchboard.sse.SseTap;
import dev.switchboard.translate.openai.ChatStreamTap;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link SseRelay} over one 204-event OpenAI stream arriving in ~1 KiB network reads. Scores
 * are per event ({@code ns/op}, {@code B/op}): the whole stream is one invocation of 204 ops.
 * {@code tap=noop} measures the framer alone; {@code tap=chat} adds the usage tap, as the edge
 * runs it. {@code mayDrop=false} is pass-through (each read forwarded whole), {@code true}
 * forwards complete events only, so the usage chunk can be withheld.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseRelayBench {

  @Param({"false", "true"})
  public boolean mayDrop;

  @Param({"noop", "chat"})
  public String tap;

  private List<Buffer> reads;

  @Setup
  public void setup() {
    reads = OpenAiStream.networkChunks(1024);
  }

  @Benchmark
  @OperationsPerInvocation(OpenAiStream.EVENTS)
  public void relayStream(Blackhole bh) {
    Source source = new Source();
    SseTap t = tap.equals("chat") ? new ChatStreamTap(false) : event -> true;
    SseRelay relay = new SseRelay(source, t, mayDrop, 1024 * 1024);
    relay.endHandler(v -> bh.consume(t));
    relay.handler(bh::consume);
    for (Buffer read : reads) {
      source.handler.handle(read);
    }
    source.endHandler.handle(null);
  }

  /** A read stream whose reads the benchmark pushes by hand. */
  static final class Source implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Void> endHandler;

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> h) {
      handler = h;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> h) {
      endHandler = h;
      return this;
    }
  }
}
