package dev.switchboard.translate;

import io.vertx.core.buffer.Buffer;

/** A request body too large to parse on an event loop, sent to the translator workers by reference. */
public record ParseJob(Buffer body) {}
