package dev.switchboard.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.select.Lease;
import dev.switchboard.select.Outcome;
import dev.switchboard.stats.RouteTrail;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What one request's trail records of its picks and attempts, and its bounds. */
class TrailRecorderTest {

  private static Lease lease(long channelId, String channel, long credentialId) {
    return new Lease(channelId, channel, "openai", credentialId, "sk-never-recorded", "http://u" + channelId + "/v1", "m-up");
  }

  @Test
  void attemptsCarryTheirPickAndOutcomeAndRepeatedSkipsAreToldOnce() {
    TrailRecorder t = new TrailRecorder();
    t.skipped("cold", 9, "m-up", "credential disabled");
    t.chose("m", 0, "round_robin", false);
    t.attempt(lease(1, "a", 11));
    t.outcome(500, Outcome.Kind.SERVER_ERROR, -1, 12);
    t.skipped("cold", 9, "m-up", "credential disabled"); // the second pick sees it again: nothing new
    t.skipped("a", 11, "m-up", "already tried");
    t.chose("m", 1, "weighted", false);
    t.attempt(lease(2, "b", 0));
    t.outcome(200, Outcome.Kind.SUCCESS, -1, 7);

    RouteTrail trail = t.freeze();
    assertEquals("m", trail.group());
    assertNull(trail.session(), "no session was asked for");
    assertEquals(List.of(
        new RouteTrail.Attempt(0, "round_robin", false, 1, "a", 11, "m-up", "http://u1/v1", 500, "server_error", -1, 12),
        new RouteTrail.Attempt(1, "weighted", false, 2, "b", 0, "m-up", "http://u2/v1", 200, "success", -1, 7)), trail.attempts());
    assertEquals(List.of(new RouteTrail.Skip(1, "cold", 9, "m-up", "credential disabled"),
        new RouteTrail.Skip(2, "a", 11, "m-up", "already tried")), trail.skipped());
    assertEquals(0, trail.omitted());
    assertEquals(-1, trail.toJson().encode().indexOf("sk-never-recorded"), "the lease's secret is never recorded");
  }

  @Test
  void theSessionIsNewKeptOrBroken() {
    TrailRecorder fresh = new TrailRecorder();
    fresh.session(0);
    fresh.chose("m", 0, "lru", false);
    fresh.attempt(lease(1, "a", 11));
    fresh.outcome(200, Outcome.Kind.SUCCESS, -1, 1);
    assertEquals("new", fresh.freeze().session());

    TrailRecorder kept = new TrailRecorder();
    kept.session(11);
    kept.chose("m", 0, "lru", true);
    kept.attempt(lease(1, "a", 11));
    kept.outcome(200, Outcome.Kind.SUCCESS, -1, 1);
    assertEquals("kept", kept.freeze().session());

    TrailRecorder broken = new TrailRecorder();
    broken.session(11);
    broken.chose("m", 0, "lru", true);
    broken.attempt(lease(1, "a", 11));
    broken.outcome(0, Outcome.Kind.CONNECT_ERROR, -1, 1);
    broken.session(11); // the retry asks again: the first answer stands
    broken.chose("m", 0, "lru", false);
    broken.attempt(lease(2, "b", 12));
    broken.outcome(200, Outcome.Kind.SUCCESS, -1, 1);
    RouteTrail trail = broken.freeze();
    assertEquals("broken", trail.session());
    assertEquals(List.of(true, false), trail.attempts().stream().map(RouteTrail.Attempt::bySession).toList());
  }

  @Test
  void anAttemptWithoutAnOutcomeIsNotSentAndAnUnusableLeaseIsASkip() {
    TrailRecorder t = new TrailRecorder();
    t.chose("m", 0, "weighted", false);
    t.unusable(lease(3, "gemini-only", 5), "cannot serve generate for this client's protocol");
    t.chose("m", 0, "weighted", false);
    t.attempt(lease(1, "a", 11)); // its translation failed before sending
    RouteTrail trail = t.freeze();
    assertEquals(List.of("not_sent"), trail.attempts().stream().map(RouteTrail.Attempt::outcome).toList());
    assertEquals(List.of(new RouteTrail.Skip(1, "gemini-only", 5, "m-up", "cannot serve generate for this client's protocol")),
        trail.skipped());
  }

  @Test
  void itIsBoundedAndCountsWhatItLeftOut() {
    TrailRecorder t = new TrailRecorder();
    for (int i = 0; i < RouteTrail.MAX_SKIPPED + 5; i++) t.skipped("c" + i, i, "m", "x".repeat(RouteTrail.MAX_TEXT + 50));
    for (int i = 0; i < RouteTrail.MAX_ATTEMPTS + 3; i++) {
      t.chose("m", 0, "weighted", false);
      t.attempt(lease(i, "n".repeat(RouteTrail.MAX_TEXT * 2), i));
      t.outcome(503, Outcome.Kind.SERVER_ERROR, 1_000, 1);
    }
    RouteTrail trail = t.freeze();
    assertEquals(RouteTrail.MAX_SKIPPED, trail.skipped().size());
    assertEquals(RouteTrail.MAX_ATTEMPTS, trail.attempts().size());
    assertEquals(8, trail.omitted());
    assertEquals(RouteTrail.MAX_TEXT, trail.skipped().get(0).reason().length());
    assertEquals(RouteTrail.MAX_TEXT, trail.attempts().get(0).channel().length());
    assertEquals(RouteTrail.MAX_TEXT - 1, RouteTrail.cut("x".repeat(RouteTrail.MAX_TEXT - 1) + "🚀").length(),
        "never half a surrogate pair");
  }
}
