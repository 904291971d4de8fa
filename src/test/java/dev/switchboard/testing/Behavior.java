package dev.switchboard.testing;

import dev.switchboard.demo.OpenAiWire;
import dev.switchboard.testing.wire.ToolCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@link MockUpstream} answers one request, in whichever protocol the request spoke.
 * Immutable: static factories pick the kind of answer, withers return a changed copy, so one
 * value can be shared across tests and threads.
 *
 * <p>Stream positions ({@link #stallAfter}, {@link #dropAfter}, {@link #failAfter}) count
 * stream events as written: in OpenAI Chat the role chunk is event 1 and the first content
 * delta event 2; in Anthropic {@code message_start} is event 1; in Responses
 * {@code response.created} is event 1; in Gemini the first chunk is event 1. On a non-stream
 * request stall and drop cut the JSON body in half instead.
 */
public final class Behavior {

  enum Kind { OK, ERROR, HANG, MALFORMED_SSE }

  static final String DEFAULT_CONTENT = "Hello from the mock upstream";

  final Kind kind;
  /** The answer text; null means the default ({@value #DEFAULT_CONTENT}, or none with tools). */
  final String content;
  final int chunks;
  final long tokenDelayMs;
  final boolean closingAtOnce;
  final long headerDelayMs;
  final OpenAiWire.Usage usage;
  final boolean alwaysUsage;
  final int status;
  final int retryAfterSeconds;
  final int stallAfter;
  final int dropAfter;
  final int failAfter;
  final int failStatus;
  final int oversizedBytes;
  final List<ToolCall> toolCalls;
  final String thinking;
  final Map<String, String> requiredHeaders;
  /** Content deltas, computed once from the content and {@code chunks}. */
  final String[] pieces;
  /** Thinking deltas, one per word; empty without {@link #thinking(String)}. */
  final String[] thinkingPieces;

  /** The mutable twin used to build a changed copy. */
  private static final class Draft {
    Kind kind;
    String content;
    int chunks;
    long tokenDelayMs;
    boolean closingAtOnce;
    long headerDelayMs;
    OpenAiWire.Usage usage;
    boolean alwaysUsage;
    int status;
    int retryAfterSeconds = -1;
    int stallAfter = -1;
    int dropAfter = -1;
    int failAfter = -1;
    int failStatus;
    int oversizedBytes;
    List<ToolCall> toolCalls = List.of();
    String thinking;
    Map<String, String> requiredHeaders = Map.of();

    Draft(Kind kind, int status) {
      this.kind = kind;
      this.status = status;
    }
  }

  private Behavior(Draft d) {
    this.kind = d.kind;
    this.content = d.content;
    this.chunks = d.chunks;
    this.tokenDelayMs = d.tokenDelayMs;
    this.closingAtOnce = d.closingAtOnce;
    this.headerDelayMs = d.headerDelayMs;
    this.usage = d.usage;
    this.alwaysUsage = d.alwaysUsage;
    this.status = d.status;
    this.retryAfterSeconds = d.retryAfterSeconds;
    this.stallAfter = d.stallAfter;
    this.dropAfter = d.dropAfter;
    this.failAfter = d.failAfter;
    this.failStatus = d.failStatus;
    this.oversizedBytes = d.oversizedBytes;
    this.toolCalls = d.toolCalls;
    this.thinking = d.thinking;
    this.requiredHeaders = d.requiredHeaders;
    this.pieces = d.oversizedBytes > 0
        ? new String[] {"x".repeat(d.oversizedBytes)}
        : split(text(), d.chunks);
    this.thinkingPieces = d.thinking == null ? new String[0] : split(d.thinking, 0);
  }

  private Draft draft() {
    Draft d = new Draft(kind, status);
    d.content = content;
    d.chunks = chunks;
    d.tokenDelayMs = tokenDelayMs;
    d.closingAtOnce = closingAtOnce;
    d.headerDelayMs = headerDelayMs;
    d.usage = usage;
    d.alwaysUsage = alwaysUsage;
    d.retryAfterSeconds = retryAfterSeconds;
    d.stallAfter = stallAfter;
    d.dropAfter = dropAfter;
    d.failAfter = failAfter;
    d.failStatus = failStatus;
    d.oversizedBytes = oversizedBytes;
    d.toolCalls = toolCalls;
    d.thinking = thinking;
    d.requiredHeaders = requiredHeaders;
    return d;
  }

  /** A normal 200 answer: JSON, or a well-formed stream when the request asks for one. */
  public static Behavior ok() {
    return new Behavior(new Draft(Kind.OK, 200));
  }

  /**
   * An error with this status in the protocol's envelope and message {@code mock failure
   * <code>} (OpenAI {@code server_error}, Anthropic {@code overloaded_error} for 529, Gemini
   * {@code UNAVAILABLE} for 503, and so on).
   */
  public static Behavior status(int code) {
    return new Behavior(new Draft(Kind.ERROR, code));
  }

  /**
   * 429 with the protocol's retry hint: {@code retry-after: <seconds>} for OpenAI, Azure and
   * Anthropic, a {@code google.rpc.RetryInfo} {@code retryDelay} for Gemini.
   */
  public static Behavior rateLimited(int retryAfterSeconds) {
    Draft d = new Draft(Kind.ERROR, 429);
    d.retryAfterSeconds = retryAfterSeconds;
    return new Behavior(d);
  }

  /** Reads the request and never answers; the connection stays open. */
  public static Behavior hang() {
    return new Behavior(new Draft(Kind.HANG, 200));
  }

  /** A 200 event stream in the protocol's framing whose events are not valid JSON. */
  public static Behavior malformedSse() {
    return new Behavior(new Draft(Kind.MALFORMED_SSE, 200));
  }

  /** A well-formed stream with one content event larger than {@code bytes}. */
  public static Behavior oversizedEvent(int bytes) {
    Draft d = new Draft(Kind.OK, 200);
    d.oversizedBytes = Math.max(1, bytes);
    return new Behavior(d);
  }

  /** The answer text (default {@value #DEFAULT_CONTENT}, or no text with tool calls). */
  public Behavior content(String content) {
    Draft d = draft();
    d.content = content;
    d.oversizedBytes = 0;
    return new Behavior(d);
  }

  /** Number of content deltas in a stream; 0 (default) means one per word. */
  public Behavior chunks(int n) {
    Draft d = draft();
    d.chunks = Math.max(0, n);
    return new Behavior(d);
  }

  /** Delay between stream events (default 0). */
  public Behavior tokenDelayMs(long ms) {
    Draft d = draft();
    d.tokenDelayMs = ms;
    return new Behavior(d);
  }

  /**
   * The events after the last generated piece (finish, usage, the terminal event) follow it
   * without {@link #tokenDelayMs}, as the real APIs send them; by default each waits too.
   */
  public Behavior closingAtOnce() {
    Draft d = draft();
    d.closingAtOnce = true;
    return new Behavior(d);
  }

  /** Delay before the response head is sent (default 0). */
  public Behavior headerDelayMs(long ms) {
    Draft d = draft();
    d.headerDelayMs = ms;
    return new Behavior(d);
  }

  /**
   * Fixed usage numbers in OpenAI terms (default: estimated from the request and the content):
   * {@code cached} is part of {@code prompt}, {@code reasoning} part of {@code completion}.
   * Each protocol reports them its own way (Anthropic {@code input_tokens = prompt - cached}).
   */
  public Behavior usage(int prompt, int completion, int cached, int reasoning) {
    Draft d = draft();
    d.usage = new OpenAiWire.Usage(prompt, completion, cached, reasoning);
    return new Behavior(d);
  }

  /**
   * Sends the OpenAI Chat usage chunk even when the request did not set {@code include_usage}.
   * The other protocols always report usage, so this changes nothing there.
   */
  public Behavior alwaysUsage() {
    Draft d = draft();
    d.alwaysUsage = true;
    return new Behavior(d);
  }

  /** Writes {@code events} stream events, then stays silent with the connection open. */
  public Behavior stallAfter(int events) {
    Draft d = draft();
    d.stallAfter = Math.max(0, events);
    d.dropAfter = -1;
    return new Behavior(d);
  }

  /** Writes {@code events} stream events, then closes the connection without ending the body. */
  public Behavior dropAfter(int events) {
    Draft d = draft();
    d.dropAfter = Math.max(0, events);
    d.stallAfter = -1;
    return new Behavior(d);
  }

  /**
   * Writes {@code events} stream events, then the protocol's mid-stream error for
   * {@code status} (Anthropic {@code event: error}, Responses {@code response.failed}, an error
   * chunk in Chat and Gemini) and ends the body. A non-stream request gets the plain error.
   */
  public Behavior failAfter(int events, int status) {
    Draft d = draft();
    d.failAfter = Math.max(0, events);
    d.failStatus = status;
    return new Behavior(d);
  }

  /**
   * Adds one tool call to the answer; call again for parallel calls. {@code argumentsJson} is
   * the JSON object text of the arguments. The finish reason becomes the protocol's tool one
   * ({@code tool_calls}, {@code tool_use}, Gemini {@code STOP}).
   */
  public Behavior toolCall(String name, String argumentsJson) {
    Draft d = draft();
    List<ToolCall> calls = new ArrayList<>(toolCalls);
    calls.add(new ToolCall(name, argumentsJson));
    d.toolCalls = List.copyOf(calls);
    return new Behavior(d);
  }

  /**
   * Reasoning before the answer: an Anthropic thinking block with a signature, Gemini thought
   * parts and a {@code thoughtSignature}, a Responses reasoning item, Chat
   * {@code reasoning_content}.
   */
  public Behavior thinking(String text) {
    Draft d = draft();
    d.thinking = text;
    return new Behavior(d);
  }

  /**
   * Answers 401 in the protocol's error envelope unless the request carries header
   * {@code name} with exactly {@code value}. Repeatable.
   */
  public Behavior requireHeader(String name, String value) {
    Draft d = draft();
    Map<String, String> required = new LinkedHashMap<>(requiredHeaders);
    required.put(name, value);
    d.requiredHeaders = Map.copyOf(required);
    return new Behavior(d);
  }

  /** The full answer text. */
  String text() {
    if (content != null) {
      return content;
    }
    return toolCalls.isEmpty() ? DEFAULT_CONTENT : "";
  }

  /** The fixed usage, or an estimate from {@code prompt}; estimated reasoning is in completion. */
  OpenAiWire.Usage usageFor(String prompt) {
    if (usage != null) {
      return usage;
    }
    OpenAiWire.Usage estimate = OpenAiWire.Usage.estimate(prompt, text());
    if (thinking == null) {
      return estimate;
    }
    int reasoning = OpenAiWire.estimateTokens(thinking);
    return new OpenAiWire.Usage(estimate.promptTokens(), estimate.completionTokens() + reasoning,
        0, reasoning);
  }

  @Override
  public String toString() {
    return "Behavior[" + kind + " status=" + status + " stallAfter=" + stallAfter
        + " dropAfter=" + dropAfter + " failAfter=" + failAfter + " tokenDelayMs=" + tokenDelayMs
        + " toolCalls=" + toolCalls.size() + "]";
  }

  /** Splits into {@code n} pieces of near-equal length, or per word when {@code n} is 0. */
  static String[] split(String content, int n) {
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
