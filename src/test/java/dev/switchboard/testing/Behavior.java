package dev.switchboard.testing;

import dev.switchboard.demo.OpenAiWire;

/**
 * How {@link MockUpstream} answers one chat request. Immutable: static factories pick the kind
 * of answer, withers return a changed copy, so one value can be shared across tests and threads.
 *
 * <p>Stream positions ({@link #stallAfter}, {@link #dropAfter}) count SSE events as written:
 * the role chunk is event 1, the first content delta event 2, and so on. On a non-stream
 * request they cut the JSON body in half instead.
 */
public final class Behavior {

  enum Kind { OK, ERROR, HANG, MALFORMED_SSE }

  static final String DEFAULT_CONTENT = "Hello from the mock upstream";

  final Kind kind;
  final String content;
  final int chunks;
  final long tokenDelayMs;
  final long headerDelayMs;
  final OpenAiWire.Usage usage;
  final boolean alwaysUsage;
  final int status;
  final int retryAfterSeconds;
  final int stallAfter;
  final int dropAfter;
  final int oversizedBytes;
  /** Content deltas, computed once from {@code content} and {@code chunks}. */
  final String[] pieces;

  private Behavior(Kind kind, String content, int chunks, long tokenDelayMs, long headerDelayMs,
      OpenAiWire.Usage usage, boolean alwaysUsage, int status, int retryAfterSeconds,
      int stallAfter, int dropAfter, int oversizedBytes) {
    this.kind = kind;
    this.content = content;
    this.chunks = chunks;
    this.tokenDelayMs = tokenDelayMs;
    this.headerDelayMs = headerDelayMs;
    this.usage = usage;
    this.alwaysUsage = alwaysUsage;
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
    this.stallAfter = stallAfter;
    this.dropAfter = dropAfter;
    this.oversizedBytes = oversizedBytes;
    this.pieces = oversizedBytes > 0
        ? new String[] {"x".repeat(oversizedBytes)}
        : split(content, chunks);
  }

  private static Behavior of(Kind kind, int status) {
    return new Behavior(kind, DEFAULT_CONTENT, 0, 0, 0, null, false, status, -1, -1, -1, 0);
  }

  /** A normal 200 answer: JSON, or a well-formed stream when the request asks for one. */
  public static Behavior ok() {
    return of(Kind.OK, 200);
  }

  /** An OpenAI error envelope with this status and message {@code mock failure <code>}. */
  public static Behavior status(int code) {
    return of(Kind.ERROR, code);
  }

  /** 429 with {@code retry-after: <seconds>} and envelope code {@code rate_limit_exceeded}. */
  public static Behavior rateLimited(int retryAfterSeconds) {
    Behavior b = of(Kind.ERROR, 429);
    return new Behavior(b.kind, b.content, b.chunks, b.tokenDelayMs, b.headerDelayMs, b.usage,
        b.alwaysUsage, b.status, retryAfterSeconds, b.stallAfter, b.dropAfter, b.oversizedBytes);
  }

  /** Reads the request and never answers; the connection stays open. */
  public static Behavior hang() {
    return of(Kind.HANG, 200);
  }

  /** A 200 event stream whose events are not valid JSON, then {@code data: [DONE]}. */
  public static Behavior malformedSse() {
    return of(Kind.MALFORMED_SSE, 200);
  }

  /** A well-formed stream with one content event larger than {@code bytes}. */
  public static Behavior oversizedEvent(int bytes) {
    return new Behavior(Kind.OK, DEFAULT_CONTENT, 0, 0, 0, null, false, 200, -1, -1, -1,
        Math.max(1, bytes));
  }

  /** The answer text (default {@value #DEFAULT_CONTENT}). */
  public Behavior content(String content) {
    return new Behavior(kind, content, chunks, tokenDelayMs, headerDelayMs, usage, alwaysUsage,
        status, retryAfterSeconds, stallAfter, dropAfter, 0);
  }

  /** Number of content deltas in a stream; 0 (default) means one per word. */
  public Behavior chunks(int n) {
    return new Behavior(kind, content, Math.max(0, n), tokenDelayMs, headerDelayMs, usage,
        alwaysUsage, status, retryAfterSeconds, stallAfter, dropAfter, oversizedBytes);
  }

  /** Delay between stream events (default 0). */
  public Behavior tokenDelayMs(long ms) {
    return new Behavior(kind, content, chunks, ms, headerDelayMs, usage, alwaysUsage, status,
        retryAfterSeconds, stallAfter, dropAfter, oversizedBytes);
  }

  /** Delay before the response head is sent (default 0). */
  public Behavior headerDelayMs(long ms) {
    return new Behavior(kind, content, chunks, tokenDelayMs, ms, usage, alwaysUsage, status,
        retryAfterSeconds, stallAfter, dropAfter, oversizedBytes);
  }

  /** Fixed usage numbers (default: estimated from the request and the content). */
  public Behavior usage(int prompt, int completion, int cached, int reasoning) {
    return new Behavior(kind, content, chunks, tokenDelayMs, headerDelayMs,
        new OpenAiWire.Usage(prompt, completion, cached, reasoning), alwaysUsage, status,
        retryAfterSeconds, stallAfter, dropAfter, oversizedBytes);
  }

  /** Sends the usage chunk even when the request did not set {@code include_usage}. */
  public Behavior alwaysUsage() {
    return new Behavior(kind, content, chunks, tokenDelayMs, headerDelayMs, usage, true, status,
        retryAfterSeconds, stallAfter, dropAfter, oversizedBytes);
  }

  /** Writes {@code events} stream events, then stays silent with the connection open. */
  public Behavior stallAfter(int events) {
    return new Behavior(kind, content, chunks, tokenDelayMs, headerDelayMs, usage, alwaysUsage,
        status, retryAfterSeconds, Math.max(0, events), -1, oversizedBytes);
  }

  /** Writes {@code events} stream events, then closes the connection without ending the body. */
  public Behavior dropAfter(int events) {
    return new Behavior(kind, content, chunks, tokenDelayMs, headerDelayMs, usage, alwaysUsage,
        status, retryAfterSeconds, -1, Math.max(0, events), oversizedBytes);
  }

  @Override
  public String toString() {
    return "Behavior[" + kind + " status=" + status + " stallAfter=" + stallAfter
        + " dropAfter=" + dropAfter + " tokenDelayMs=" + tokenDelayMs + "]";
  }

  /** Splits into {@code n} pieces of near-equal length, or per word when {@code n} is 0. */
  private static String[] split(String content, int n) {
    if (content.isEmpty()) {
      return new String[0];
    }
    if (n == 0) {
      String[] words = content.split(" ", -1);
      for (int i = 1; i < words.length; i++) {
        words[i] = " " + words[i];
      }
      return words;
    }
    int count = Math.min(n, content.length());
    String[] pieces = new String[count];
    for (int i = 0; i < count; i++) {
      int from = (int) ((long) i * content.length() / count);
      pieces[i] = content.substring(from, (int) ((long) (i + 1) * content.length() / count));
    }
    return pieces;
  }
}
