package dev.switchboard.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void idsCarryTheMillisecondFirstSoLaterIdsSortLater() {
    assertEquals("req_018f00000001" + "fedcba987654", RequestIds.next(0x018f00000001L, 0x0123456789abcdefL & 0xffffffffffffL));
    String earlier = RequestIds.next(1_764_000_000_000L, -1L);
    String later = RequestIds.next(1_764_000_000_001L, 0L);
    assertTrue(earlier.compareTo(later) < 0, earlier + " sorts before " + later);
  }

  @Test
  void idsMadeInOneMillisecondDiffer() {
    Set<String> seen = new HashSet<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestIds.next();
      assertTrue(id.matches("req_[0-9a-f]{24}"), id);
      assertTrue(seen.add(id), "duplicate " + id);
    }
    long stamp = Long.parseLong(RequestIds.next().substring(4, 16), 16);
    assertTrue(stamp >= now && stamp <= System.currentTimeMillis(), "the id's time is now");
    assertNotEquals(RequestIds.next(now, 1), RequestIds.next(now, 2));
  }
}
