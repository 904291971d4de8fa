package dev.switchboard.edge;

import dev.switchboard.select.Lease;
import dev.switchboard.select.PickTrace;
import dev.switchboard.stats.RouteTrail;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Collects one request's routing decisions as they happen (the picks tell it what they skipped
 * and chose, the edge what each attempt came to) and freezes them into the {@link RouteTrail}
 * its usage record carries. A few small objects per request and no extra message or query:
 * the trail travels with the usage record. Event-loop confined, like its {@link Call}.
 */
final class TrailRecorder implements PickTrace {

  private static final long NO_BINDING = 0;

  private final List<RouteTrail.Attempt> attempts = new ArrayList<>(2);
  private List<RouteTrail.Skip> skipped;
  private int omitted;
  private String group;
  // the pick's choice, waiting for the edge to start an attempt on its lease
  private int tier = -1;
  private String strategy;
  private boolean bySession;
  private boolean sessionAsked;
  private long boundTarget = NO_BINDING;
  private boolean sessionKept;
  // the attempt under way: filled by its outcome
  private Lease current;
  private int currentTier;
  private String currentStrategy;
  private boolean currentBySession;

  @Override
  public void skipped(String channel, long credentialId, String upstreamModel, String reason) {
    if (skipped == null) skipped = new ArrayList<>(4);
    String name = RouteTrail.cut(channel);
    String model = RouteTrail.cut(upstreamModel);
    String why = RouteTrail.cut(reason);
    for (RouteTrail.Skip s : skipped) {
      // the same candidate, skipped for the same reason on a later attempt, says nothing new
      if (s.credentialId() == credentialId && s.reason().equals(why) && s.channel().equals(name)
          && Objects.equals(s.upstreamModel(), model)) {
        return;
      }
    }
    if (skipped.size() >= RouteTrail.MAX_SKIPPED) {
      omitted++;
      return;
    }
    skipped.add(new RouteTrail.Skip(attempts.size() + (current == null ? 1 : 2), name, credentialId, model, why));
  }

  @Override
  public void chose(String groupName, int tierIndex, String tierStrategy, boolean chosenBySession) {
    if (group == null) group = groupName;
    tier = tierIndex;
    strategy = tierStrategy;
    bySession = chosenBySession;
  }

  @Override
  public void session(long bound) {
    if (sessionAsked) return;
    sessionAsked = true;
    boundTarget = bound;
  }

  /** The edge starts an attempt on the lease the last pick chose. */
  void attempt(Lease lease) {
    settle();
    current = lease;
    currentTier = tier;
    currentStrategy = strategy;
    currentBySession = bySession;
    tier = -1;
    strategy = null;
    bySession = false;
  }

  /** The leased channel cannot serve this request at all (no translation, no such operation): not an attempt. */
  void unusable(Lease lease, String reason) {
    tier = -1;
    skipped(lease.channelName(), lease.credentialId(), lease.upstreamModel(), reason);
  }

  /** How the attempt under way ended: {@code status} 0 without an HTTP answer, {@code outcome} a lowercase class. */
  void outcome(int status, String outcome, long retryAfterMs, long latencyMs) {
    if (current == null) return;
    record(current, status, outcome, retryAfterMs, latencyMs);
    current = null;
  }

  /** {@link #outcome} with an {@code Outcome.Kind}-style name. */
  void outcome(int status, Enum<?> kind, long retryAfterMs, long latencyMs) {
    outcome(status, kind.name().toLowerCase(Locale.ROOT), retryAfterMs, latencyMs);
  }

  private void settle() {
    if (current != null) outcome(0, "not_sent", -1, -1);
  }

  private void record(Lease lease, int status, String outcome, long retryAfterMs, long latencyMs) {
    sessionKept = currentBySession; // the last attempt decides: the binding served, or was left
    if (attempts.size() >= RouteTrail.MAX_ATTEMPTS) {
      omitted++;
      return;
    }
    attempts.add(new RouteTrail.Attempt(currentTier, currentStrategy, currentBySession, lease.channelId(),
        RouteTrail.cut(lease.channelName()), lease.credentialId(), RouteTrail.cut(lease.upstreamModel()),
        RouteTrail.cut(lease.baseUrl()), status, outcome, retryAfterMs, latencyMs));
  }

  /** What was recorded, for the usage record; an attempt without an outcome counts as not sent. */
  RouteTrail freeze() {
    settle();
    String session = !sessionAsked ? null : boundTarget == NO_BINDING ? "new" : sessionKept ? "kept" : "broken";
    return new RouteTrail(group, session, attempts, skipped == null ? List.of() : skipped, omitted);
  }
}
