package dev.switchboard.translate;

import dev.switchboard.sse.SseTap;
import dev.switchboard.stats.Usage;

/**
 * Reads what the gateway must know from an upstream stream in its own protocol, without
 * changing it: usage, whether the stream ended the way a complete answer ends, and an error the
 * upstream reported inside the stream. One instance per stream.
 */
public interface StreamTap extends SseTap {

  /** Usage reported so far (cumulative, never summed twice), or null. */
  Usage usage();

  /** Whether the protocol's own end of a complete answer was seen. */
  boolean done();

  /** The message of an error the upstream sent inside the stream, or null. */
  String error();
}
