package dev.switchboard.edge;

import dev.switchboard.sse.ByteScan;
import dev.switchboard.sse.SseEventStream;
import dev.switchboard.sse.SseRelay;
import dev.switchboard.sse.UpstreamEvents;
import dev.switchboard.stats.Usage;
import dev.switchboard.translate.StreamTap;
import dev.switchboard.translate.StreamTranslator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What a streamed answer sends the client, and how it ends. Pass-through relays the upstream's
 * bytes as slices and only reads them; translation turns each upstream event into the client
 * protocol's events; either way the tap reads usage and the end in the upstream's own terms.
 */
abstract class StreamBody {

  /** Called with each upstream event and the number of bytes it sends the client. */
  interface EventListener {
    void onEvent(int clientBytes);
  }

  protected final StreamTap tap;

  StreamBody(StreamTap tap) {
    this.tap = tap;
  }

  /** The bytes for the client, with the upstream's demand. */
  abstract UpstreamEvents source();

  /**
   * Whether a keep-alive may be written now: the client has been sent whole events only, and
   * not yet the end of its answer.
   */
  abstract boolean mayKeepAlive();

  /** What to write when the upstream ended cleanly (its terminal event, or an in-band error). */
  abstract Buffer end();

  /**
   * What to write when the upstream broke off: at EOF without its terminal event ({@code eof}),
   * or by a reset, an idle timeout or an oversized event.
   */
  abstract Buffer cut(boolean eof, GatewayError error);

  Usage usage() {
    return tap.usage();
  }

  boolean done() {
    return tap.done();
  }

  String error() {
    return tap.error();
  }

  /** The upstream's bytes as they come: nothing is parsed but what the tap looks at. */
  static StreamBody passThrough(HttpClientResponse upstream, StreamTap tap, boolean tapMayDrop, int maxEventBytes,
      Front front, EventListener listener) {
    SseRelay relay = new SseRelay(upstream, event -> {
      boolean keep = tap.onEvent(event);
      listener.onEvent(keep ? event.length() : 0);
      return keep;
    }, tapMayDrop, maxEventBytes);
    return new StreamBody(tap) {
      @Override
      UpstreamEvents source() {
        return relay;
      }

      @Override
      boolean mayKeepAlive() {
        return relay.atEventBoundary() && !tap.done() && tap.error() == null;
      }

      @Override
      Buffer end() {
        return Buffer.buffer();
      }

      @Override
      Buffer cut(boolean eof, GatewayError error) {
        return front.streamError(error);
      }
    };
  }

  /**
   * Each upstream event through {@code translator} (null: the event as it is), framed as SSE or,
   * for a Gemini client that asked without {@code alt=sse}, as the elements of one JSON array.
   */
  static StreamBody translated(HttpClientResponse upstream, StreamTap tap, StreamTranslator translator, int maxEventBytes,
      boolean jsonArray, StreamTap clientTap, CostStamp stamp, EventListener listener) {
    return new Translated(upstream, tap, translator, maxEventBytes, jsonArray, clientTap, stamp, listener);
  }

  private static final class Translated extends StreamBody {
    private final StreamTranslator translator;
    private final boolean jsonArray;
    private final SseEventStream stream;
    /** Reads what the client is sent, to know when its answer is complete. */
    private final StreamTap clientTap;
    /** Puts the cost into the client's usage event; null when the key did not ask for it. */
    private final CostStamp stamp;
    private boolean opened;

    Translated(HttpClientResponse upstream, StreamTap tap, StreamTranslator translator, int maxEventBytes,
        boolean jsonArray, StreamTap clientTap, CostStamp stamp, EventListener listener) {
      super(tap);
      this.translator = translator;
      this.clientTap = clientTap;
      this.stamp = stamp;
      this.jsonArray = jsonArray;
      this.stream = new SseEventStream(upstream, (event, out) -> {
        boolean keep = tap.onEvent(event);
        int from = out.size();
        Buffer data = ByteScan.data(event);
        if (data == null) {
          // comments and keep-alives have nothing to translate
        } else if (translator == null) {
          if (keep) { // else usage the client did not ask for, which the gateway asked for
            out.add(event);
            reframe(out, from);
          }
        } else {
          translator.onEvent(ByteScan.eventName(event), data, out);
          reframe(out, from);
        }
        int bytes = 0;
        for (int i = from; i < out.size(); i++) bytes += out.get(i).length();
        listener.onEvent(bytes);
      }, maxEventBytes);
    }

    @Override
    UpstreamEvents source() {
      return stream;
    }

    @Override
    boolean mayKeepAlive() {
      // translations write whole events; an array gets no keep-alives
      return !jsonArray && !clientTap.done() && clientTap.error() == null;
    }

    @Override
    Buffer end() {
      List<Buffer> out = new ArrayList<>(2);
      if (translator != null) translator.onEnd(out);
      reframe(out, 0);
      return join(out, true);
    }

    @Override
    Buffer cut(boolean eof, GatewayError error) {
      List<Buffer> out = new ArrayList<>(2);
      if (translator == null) {
        out.add(frame(jsonArray ? GeminiFront.envelope(error).toBuffer() : Buffer.buffer("data: ")
            .appendBuffer(GeminiFront.envelope(error).toBuffer()).appendString("\n\n")));
      } else if (eof) {
        translator.onEnd(out);
        reframe(out, 0);
      } else {
        translator.onError(error.getMessage(), out);
        reframe(out, 0);
      }
      return join(out, true);
    }

    @Override
    Usage usage() {
      Usage u = tap.usage();
      return u != null || translator == null ? u : translator.usage();
    }

    /** Translated events that are SSE stay as they are; for a JSON array each becomes an element. */
    private void reframe(List<Buffer> out, int from) {
      for (int i = from; i < out.size(); i++) {
        if (stamp != null) out.set(i, stamp.apply(out.get(i)));
        clientTap.onEvent(out.get(i));
      }
      if (!jsonArray) return;
      for (int i = from; i < out.size(); i++) {
        Buffer data = ByteScan.data(out.get(i));
        out.set(i, data == null ? Buffer.buffer() : frame(data));
      }
    }

    private Buffer frame(Buffer element) {
      if (!jsonArray) return element;
      Buffer b = Buffer.buffer(element.length() + 2).appendString(opened ? ",\r\n" : "[").appendBuffer(element);
      opened = true;
      return b;
    }

    private Buffer join(List<Buffer> out, boolean last) {
      Buffer b = Buffer.buffer();
      out.forEach(b::appendBuffer);
      if (jsonArray && last) b.appendString(opened ? "]" : "[]");
      return b;
    }
  }
}
