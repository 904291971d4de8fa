package dev.switchboard.edge;

import static dev.switchboard.edge.Chat.CLIENT_KEY;
import static dev.switchboard.edge.Chat.MOCK_CONTENT;
import static dev.switchboard.edge.Chat.MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.Sse;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Keep-alives on the pass-through path: between events only, and never after the end. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeepAliveTest {

  private static final String COMMENT = ": keep-alive\n\n";

  private MockUpstream mock;
  private TestGateway gateway;

  @BeforeEach
  void start(Vertx vertx) {
    mock = MockUpstream.start(vertx).await();
    gateway = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), MODEL))
        .clientKey("client", CLIENT_KEY)
        .server("keepAlive", "150ms")
        .start();
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  @Test
  void silencesGetAnSseCommentBetweenWholeEvents() {
    mock.enqueue(Behavior.ok().chunks(3).tokenDelayMs(500));
    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));

    assertEquals(200, reply.status());
    String text = reply.text();
    int comments = text.split(COMMENT, -1).length - 1;
    assertTrue(comments >= 2, "silences of 500 ms with a 150 ms keep-alive: " + text);
    assertTrue(text.startsWith("data: ") || text.startsWith(COMMENT), text);
    String events = text.replace(COMMENT, "");
    assertEquals(MOCK_CONTENT, Chat.content(Sse.chunks(events)), "every event still whole");
    assertFalse(text.substring(text.indexOf("data: [DONE]")).contains("keep-alive"), "nothing after the end");
  }

  @Test
  void aBusyStreamGetsNone() {
    mock.enqueue(Behavior.ok().chunks(8).tokenDelayMs(20));
    Reply reply = gateway.call(CLIENT_KEY, Chat.streamRequest(MODEL));
    assertFalse(reply.text().contains("keep-alive"), reply.text());
  }
}
