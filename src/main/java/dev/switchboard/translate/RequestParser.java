package dev.switchboard.translate;

import dev.switchboard.json.MalformedJsonException;
import io.vertx.core.buffer.Buffer;

/** Reads a body into a {@link ParsedRequest}; safe to run on a worker thread. */
@FunctionalInterface
public interface RequestParser {
  ParsedRequest parse(Buffer body) throws MalformedJsonException;
}
