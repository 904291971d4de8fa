package dev.switchboard.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTrailTest {

  private static final String HOSTILE = "q\"uo\\te \n\t\u0001 ünï 😀 </script>";

  @Test
  void theStoredEncodingIsTheJsonTheApiShows() {
    RouteTrail trail = new RouteTrail("team-a", "broken",
        List.of(new RouteTrail.Attempt(0, "weighted", true, 3, "primary", 7, "gpt-4o", "https://a.example/v1", 429,
                "rate_limited", 1500, 12),
            new RouteTrail.Attempt(1, "round_robin", false, 4, HOSTILE, 9, null, null, 200, "success", -1, 340)),
        List.of(new RouteTrail.Skip(1, "backup", 8, "gpt-4o", "cooling for 900 ms"),
            new RouteTrail.Skip(2, null, 0, HOSTILE, null)),
        3);
    String stored = trail.encode();
    assertEquals(trail.toJson(), new JsonObject(stored));
    assertEquals(trail, RouteTrail.fromJson(new JsonObject(stored)));
    // the field names the management API documents, read without going through fromJson
    JsonObject json = new JsonObject(stored);
    assertEquals("team-a", json.getString("group"));
    assertEquals(3, json.getInteger("omitted"));
    JsonObject second = json.getJsonArray("attempts").getJsonObject(1);
    assertEquals(HOSTILE, second.getString("channel"));
    assertEquals(340L, second.getLong("latencyMs"));
    assertEquals(-1L, second.getLong("retryAfterMs"));
    assertEquals("cooling for 900 ms", json.getJsonArray("skipped").getJsonObject(0).getString("reason"));
  }

  @Test
  void anEmptyTrailHasNullsAndEmptyListsAndNoOmittedCount() {
    RouteTrail trail = new RouteTrail(null, null, List.of(), List.of(), 0);
    JsonObject stored = new JsonObject(trail.encode());
    assertEquals(trail.toJson(), stored);
    assertFalse(stored.containsKey("omitted"));
    assertEquals(trail, RouteTrail.fromJson(stored));
  }
}
