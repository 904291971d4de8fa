package dev.switchboard.select;

import java.util.HashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The mutable part of picking, one per event-loop thread (each edge picks on its own loop), so
 * strategies that remember (round robin, lru, least used, fill first) need no lock and no
 * message. Counts are this edge's own: across edges the shares still even out.
 */
final class PickState {

  private static final ThreadLocal<PickState> CURRENT = ThreadLocal.withInitial(PickState::new);

  private final HashMap<String, long[]> turns = new HashMap<>();
  private final HashMap<Long, long[]> used = new HashMap<>();
  private final HashMap<String, Long> filling = new HashMap<>();
  private long sequence;

  static PickState current() {
    return CURRENT.get();
  }

  /** The next turn of a tier; each state starts at a random offset so edges do not move in step. */
  long nextTurn(String tierKey) {
    long[] t = turns.computeIfAbsent(tierKey, k -> new long[] {ThreadLocalRandom.current().nextInt(1 << 16)});
    return t[0]++;
  }

  /** When this edge last used the target (a sequence number, 0 = never). */
  long lastUsed(long target) {
    long[] u = used.get(target);
    return u == null ? 0 : u[0];
  }

  long uses(long target) {
    long[] u = used.get(target);
    return u == null ? 0 : u[1];
  }

  void markUsed(long target) {
    long[] u = used.computeIfAbsent(target, k -> new long[2]);
    u[0] = ++sequence;
    u[1]++;
  }

  Long filling(String tierKey) {
    return filling.get(tierKey);
  }

  void fill(String tierKey, long target) {
    filling.put(tierKey, target);
  }
}
