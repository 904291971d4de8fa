package dev.switchboard.bench.jmh;

import dev.switchboard.demo.OpenAiWire;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A realistic OpenAI Chat Completions stream as the gateway receives it: a role chunk, 200
 * one-word content deltas, a finish chunk, a usage chunk and {@code [DONE]} (204 events), with
 * {@code "usage":null} on every chunk as upstreams send once usage is asked for.
 */
final class OpenAiStream {

  static final int EVENTS = 204;

  private OpenAiStream() {}

  static List<Buffer> events() {
    String[] words = "lorem ipsum dolor sit amet consectetur adipiscing elit".split(" ");
    OpenAiWire.Chunks chunks = OpenAiWire.chunks("chatcmpl-bench-0123456789abcdef", 1_763_780_000L,
        "gpt-4o-mini-2024-07-18", true);
    List<Buffer> events = new ArrayList<>(EVENTS);
    events.add(chunks.role());
    for (int i = 0; i < 200; i++) {
      events.add(chunks.content((i == 0 ? "" : " ") + words[i % words.length]));
    }
    events.add(chunks.finish("stop"));
    events.add(chunks.usage(new OpenAiWire.Usage(42, 267, 0, 0)));
    events.add(OpenAiWire.done());
    if (events.size() != EVENTS) throw new IllegalStateException("expected " + EVENTS + " events");
    return events;
  }

  /** The whole stream cut into network reads of {@code size} bytes, each its own buffer. */
  static List<Buffer> networkChunks(int size) {
    Buffer all = Buffer.buffer();
    events().forEach(all::appendBuffer);
    List<Buffer> out = new ArrayList<>();
    for (int from = 0; from < all.length(); from += size) {
      out.add(Buffer.buffer(all.getBytes(from, Math.min(all.length(), from + size))));
    }
    return out;
  }
}
