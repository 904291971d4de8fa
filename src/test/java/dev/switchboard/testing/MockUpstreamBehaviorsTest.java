package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every {@link Behavior} applies to every protocol, in that protocol's framing. */
@ExtendWith(VertxExtension.class)
class MockUpstreamBehaviorsTest {

  private MockUpstream mock;
  private WireCalls calls;

  @BeforeEach
  void start(Vertx vertx) {
    mock = WireCalls.await(MockUpstream.start(vertx));
    calls = new WireCalls(vertx, mock);
  }

  @AfterEach
  void stop() {
    WireCalls.await(mock.close());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void okAnswersTheDefaultTextAsJsonAndRecordsTheRequest(Protocol protocol) {
    WireCalls.Reply reply = calls.generate(protocol, false);
    assertEquals(200, reply.status());
    assertEquals("application/json", reply.headers().get("content-type"));
    assertEquals(Behavior.DEFAULT_CONTENT, WireCalls.messageText(protocol, reply.json()));
    RecordedRequest recorded = mock.requests().get(0);
    assertEquals(protocol, recorded.protocol());
    assertFalse(recorded.streamed());
    assertEquals(0, mock.inFlight());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void chunksSplitTheStreamedText(Protocol protocol) {
    mock.enqueue(Behavior.ok().content("abcdefghij").chunks(3));
    WireCalls.Reply reply = calls.generate(protocol, true);
    assertEquals(200, reply.status());
    assertEquals("text/event-stream", reply.headers().get("content-type"));
    assertEquals(List.of("abc", "def", "ghij"),
        WireCalls.streamedText(protocol, reply.events()));
    assertTrue(mock.requests().get(0).streamed());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void statusAnswersTheProtocolsErrorEnvelope(Protocol protocol) {
    mock.enqueue(Behavior.status(503));
    WireCalls.Reply reply = calls.generate(protocol, true);
    assertEquals(503, reply.status());
    assertEquals("application/json", reply.headers().get("content-type"));
    assertEnvelope(protocol, reply.json(), 503);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void rateLimitedCarriesTheProtocolsRetryHint(Protocol protocol) {
    mock.enqueue(Behavior.rateLimited(7));
    WireCalls.Reply reply = calls.generate(protocol, false);
    assertEquals(429, reply.status());
    assertEnvelope(protocol, reply.json(), 429);
    if (protocol == Protocol.GEMINI) {
      assertNull(reply.headers().get("retry-after"));
      assertEquals("7s", reply.json().getJsonObject("error").getJsonArray("details")
          .getJsonObject(0).getString("retryDelay"));
    } else {
      assertEquals("7", reply.headers().get("retry-after"));
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void hangSendsNothingUntilTheClientLeaves(Protocol protocol) {
    mock.enqueue(Behavior.hang());
    WireCalls.Reply reply = calls.send(calls.request(protocol, true).setIdleTimeout(200),
        WireCalls.body(protocol, true).toBuffer());
    assertEquals(-1, reply.status(), "no head: " + reply);
    WireCalls.await(mock.awaitAborted(1));
    assertEquals(0, mock.inFlight());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void headerDelayHoldsTheHead(Protocol protocol) {
    mock.enqueue(Behavior.ok().headerDelayMs(150));
    long startedAt = System.nanoTime();
    assertEquals(200, calls.generate(protocol, true).status());
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt) >= 150);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void tokenDelaySpacesTheEvents(Protocol protocol) {
    mock.enqueue(Behavior.ok().content("a b c").tokenDelayMs(40));
    long startedAt = System.nanoTime();
    WireCalls.Reply reply = calls.generate(protocol, true);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    assertTrue(elapsedMs >= 40L * (reply.events().size() - 1), elapsedMs + " ms");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void closingAtOnceSendsTheEventsAfterTheLastPieceWithoutTheDelay(Protocol protocol) {
    mock.enqueue(Behavior.ok().content("a b c").tokenDelayMs(300).closingAtOnce());
    long startedAt = System.nanoTime();
    WireCalls.Reply reply = calls.generate(protocol, true);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    assertEquals(List.of("a", " b", " c"), WireCalls.streamedText(protocol, reply.events()));
    // the three pieces are still spaced (timers never fire early); every protocol closes with
    // at least one more event, which would add 300 ms if it waited too
    assertTrue(elapsedMs >= 600, elapsedMs + " ms");
    assertTrue(elapsedMs < 300L * (reply.events().size() - 1) - 150, elapsedMs + " ms for " + reply.events().size() + " events");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void stallAfterWritesThatManyEventsThenKeepsTheConnectionSilent(Protocol protocol) {
    mock.enqueue(Behavior.ok().stallAfter(2));
    WireCalls.Reply reply = calls.generate(protocol, true, 300);
    assertEquals(200, reply.status());
    assertNotNull(reply.failure(), "the client gave up on the silence");
    assertEquals(2, reply.events().size());
    WireCalls.await(mock.awaitAborted(1));
    assertEquals(0, mock.inFlight());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void dropAfterClosesTheConnectionAfterThatManyEvents(Protocol protocol) {
    mock.enqueue(Behavior.ok().dropAfter(2));
    WireCalls.Reply reply = calls.generate(protocol, true);
    assertNotNull(reply.failure(), "the body did not end");
    assertEquals(2, reply.events().size());
    assertEquals(0, mock.aborted());
    assertEquals(0, mock.inFlight());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void dropAfterCutsANonStreamBodyInHalf(Protocol protocol) {
    mock.enqueue(Behavior.ok().dropAfter(0));
    WireCalls.Reply reply = calls.generate(protocol, false);
    assertEquals(200, reply.status());
    assertNotNull(reply.failure());
    assertFalse(isJson(reply.body()), reply.body());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void malformedSseIsTheProtocolsFramingAroundInvalidJson(Protocol protocol) {
    mock.enqueue(Behavior.malformedSse());
    WireCalls.Reply reply = calls.generate(protocol, true);
    assertEquals(200, reply.status());
    assertEquals("text/event-stream", reply.headers().get("content-type"));
    List<Sse.Event> events = reply.events();
    assertTrue(events.stream().anyMatch(e -> !isJson(e.data())), reply.body());
    boolean named = protocol == Protocol.ANTHROPIC || protocol == Protocol.OPENAI_RESPONSES;
    events.forEach(e -> assertEquals(named, e.name() != null, e.toString()));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void oversizedEventStreamsOneEventLargerThanTheLimit(Protocol protocol) {
    mock.enqueue(Behavior.oversizedEvent(100_000));
    WireCalls.Reply reply = calls.generate(protocol, true);
    List<Sse.Event> events = reply.events();
    assertTrue(events.stream().anyMatch(e -> e.data().length() > 100_000));
    assertEquals(100_000, String.join("", WireCalls.streamedText(protocol, events)).length());
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void failAfterEndsTheStreamWithTheProtocolsErrorEvent(Protocol protocol) {
    mock.enqueue(Behavior.ok().failAfter(2, 500));
    WireCalls.Reply reply = calls.generate(protocol, true);
    assertEquals(200, reply.status());
    assertNull(reply.failure(), "the body ends normally");
    List<Sse.Event> events = reply.events();
    assertEquals(3, events.size());
    Sse.Event last = events.get(2);
    switch (protocol) {
      case ANTHROPIC -> {
        assertEquals("error", last.name());
        assertEnvelope(protocol, last.json(), 500);
      }
      case OPENAI_RESPONSES -> {
        assertEquals("response.failed", last.name());
        assertEquals(2, last.json().getInteger("sequence_number"));
        assertEquals("failed", last.json().getJsonObject("response").getString("status"));
      }
      default -> assertEnvelope(protocol, last.json(), 500);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void failAfterOnANonStreamRequestIsThePlainError(Protocol protocol) {
    mock.enqueue(Behavior.ok().failAfter(2, 529));
    WireCalls.Reply reply = calls.generate(protocol, false);
    assertEquals(529, reply.status());
    assertEnvelope(protocol, reply.json(), 529);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void requireHeaderAnswers401InTheProtocolsEnvelopeUntilTheHeaderIsRight(Protocol protocol) {
    Behavior needsKey = Behavior.ok().requireHeader("x-tenant", "t1");
    mock.enqueue(needsKey, needsKey);
    WireCalls.Reply refused = calls.generate(protocol, false);
    assertEquals(401, refused.status());
    if (protocol == Protocol.AZURE_OPENAI) {
      assertEquals("401", refused.json().getJsonObject("error").getString("code"));
    } else {
      assertEnvelope(protocol, refused.json(), 401);
    }
    WireCalls.Reply accepted = calls.send(calls.request(protocol, false)
        .putHeader("x-tenant", "t1"), WireCalls.body(protocol, false).toBuffer());
    assertEquals(200, accepted.status());
  }

  /** The error envelope of {@code protocol}, with the type or status it uses for {@code code}. */
  static void assertEnvelope(Protocol protocol, JsonObject json, int code) {
    JsonObject error = json.getJsonObject("error");
    assertNotNull(error, json.encode());
    assertTrue(error.getString("message").startsWith("mock"), error.encode());
    switch (protocol) {
      case ANTHROPIC -> {
        assertEquals("error", json.getString("type"));
        assertEquals(switch (code) {
          case 401 -> "authentication_error";
          case 429 -> "rate_limit_error";
          case 529 -> "overloaded_error";
          default -> "api_error";
        }, error.getString("type"));
      }
      case GEMINI -> {
        assertEquals(code, error.getInteger("code"));
        assertEquals(switch (code) {
          case 401 -> "UNAUTHENTICATED";
          case 429 -> "RESOURCE_EXHAUSTED";
          case 500 -> "INTERNAL";
          case 503 -> "UNAVAILABLE";
          default -> "UNKNOWN";
        }, error.getString("status"));
      }
      default -> {
        assertTrue(error.containsKey("param"));
        assertEquals(switch (code) {
          case 401 -> "invalid_request_error";
          case 429 -> "requests";
          default -> "server_error";
        }, error.getString("type"));
      }
    }
  }

  private static boolean isJson(String text) {
    try {
      new JsonObject(text);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
