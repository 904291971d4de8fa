package dev.switchboard.translate;

import dev.switchboard.stats.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One stream's state machine for one direction: upstream SSE events in, client SSE events
 * out, each output element a complete client event ({@code event: ...\ndata: ...\n\n} or
 * {@code data: ...\n\n}). One instance per stream, confined to the stream's event loop.
 * The upstream may end without its terminal event or fail at any point; every path ends the
 * client stream the way its SDK expects.
 */
public interface StreamTranslator {

  /**
   * One complete upstream event: its {@code event:} name (null when the protocol sends only
   * {@code data:} lines) and its {@code data:} payload.
   */
  void onEvent(String event, Buffer data, List<Buffer> out);

  /** The upstream body ended, with or without its own terminal event. */
  void onEnd(List<Buffer> out);

  /** The upstream failed mid-stream; {@code message} is safe to show the client. */
  void onError(String message, List<Buffer> out);

  /** Usage as reported so far (cumulative, never summed twice), or null if none was seen. */
  Usage usage();
}
