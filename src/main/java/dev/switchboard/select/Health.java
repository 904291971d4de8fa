package dev.switchboard.select;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.select.Bench.State;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds attempt outcomes into benches per (credential, upstream model). A 429 cools the pair
 * down for the upstream's retry-after (capped); a rejected credential (401/403) is disabled for
 * every model, with the reason; errors (5xx, timeouts, resets) counted in a sliding window open
 * the pair's circuit at {@code maxErrorCount}. An open circuit or disabled credential lets one
 * probe through when its time is up: an answer closes it, an error reopens it for twice as long
 * (capped). Client errors count for nothing. Every transition is logged once and passed to the
 * listener (a metric). Owned by the selector verticle: single-threaded.
 *
 * <p>Every bench set or cleared here is also handed to {@code shared} (other instances, through
 * Redis); what other instances share comes in through {@link #applyPeer}, is counted apart
 * ({@code peerTransitions}) and is never handed back, so nothing echoes.
 */
final class Health {

  static final long DEFAULT_RATE_LIMIT_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(Health.class);

  /** The error window and bench of one (target, model). */
  private static final class Circuit {
    final ArrayDeque<Long> errors = new ArrayDeque<>();
    int trips;
    Bench open;
    boolean halfOpenLogged;
  }

  private final long maxCooldownMs;
  private final int maxErrorCount;
  private final long errorWindowMs;
  private final long circuitOpenMs;
  private final long probeTimeoutMs;
  private final Consumer<String> transitions;
  private final Consumer<String> peerTransitions;
  private final Consumer<BenchEvent> shared;
  /** Benches installed from a peer's event: their time-driven transitions are the peer's to count. */
  private final Set<Bench> fromPeers = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Long, Map<String, Circuit>> circuits = new HashMap<>();
  private final Map<Long, Map<String, Bench>> cooling = new HashMap<>();
  private final Map<Long, Bench> disabled = new HashMap<>();
  private final Map<Long, Boolean> disabledProbeLogged = new HashMap<>();

  Health(SwitchboardConfig.Routing routing, Consumer<String> transitions) {
    this(routing, transitions, to -> {}, event -> {});
  }

  Health(SwitchboardConfig.Routing routing, Consumer<String> transitions, Consumer<String> peerTransitions,
      Consumer<BenchEvent> shared) {
    this.maxCooldownMs = routing.maxCooldownMs();
    this.maxErrorCount = routing.maxErrorCount();
    this.errorWindowMs = routing.errorWindowMs();
    this.circuitOpenMs = Math.min(routing.circuitOpenMs(), routing.maxCooldownMs());
    this.probeTimeoutMs = routing.connectTimeoutMs() + routing.firstByteTimeoutMs();
    this.transitions = transitions;
    this.peerTransitions = peerTransitions;
    this.shared = shared;
  }

  Health(long maxCooldownMs) {
    this(new SwitchboardConfig.Routing(2, 5_000, 120_000, 120_000, 100, maxCooldownMs), state -> {});
  }

  /** Applies one outcome; true when the benches changed and a new snapshot is due. */
  boolean apply(Outcome o, long now) {
    long target = o.target();
    String model = o.model() == null ? "" : o.model();
    return switch (o.kind()) {
      case SUCCESS, CLIENT_ERROR -> alive(target, model, o);
      case RATE_LIMITED -> alive(target, model, o) | cool(o, target, model, now);
      case AUTH_FAILED -> disable(o, target, now);
      case SERVER_ERROR, CONNECT_ERROR, TIMEOUT -> error(o, target, model, now);
    };
  }

  /** The upstream answered: a disabled credential and an open circuit are closed; a success ends a cooldown. */
  private boolean alive(long target, String model, Outcome o) {
    boolean changed = false;
    if (disabled.remove(target) != null) {
      disabledProbeLogged.remove(target);
      transition("enabled", "credential {} of channel {} re-enabled: the upstream answered {}", target, o.channelId(), o.status());
      shared.accept(BenchEvent.clear(target, null, State.DISABLED));
      changed = true;
    }
    Circuit c = circuit(target, model, false);
    if (c != null && c.open != null) {
      c.open = null;
      c.trips = 0;
      c.errors.clear();
      transition("closed", "circuit of target {} model {} closed: the upstream answered {}", target, model, o.status());
      shared.accept(BenchEvent.clear(target, nullIfEmpty(model), State.OPEN));
      changed = true;
    }
    if (o.kind() == Outcome.Kind.SUCCESS) {
      Map<String, Bench> byModel = cooling.get(target);
      if (byModel != null && byModel.remove(model) != null) {
        changed = true;
        if (byModel.isEmpty()) cooling.remove(target);
      }
    }
    return changed;
  }

  private boolean cool(Outcome o, long target, String model, long now) {
    long forMs = Math.min(o.retryAfterMs() > 0 ? o.retryAfterMs() : DEFAULT_RATE_LIMIT_MS, maxCooldownMs);
    long until = now + forMs;
    Map<String, Bench> byModel = cooling.computeIfAbsent(target, t -> new HashMap<>());
    Bench before = byModel.get(model);
    // a later 429 with a longer retry-after extends the cooldown; a shorter one never shortens it
    if (before != null && before.until() >= until) return false;
    Bench bench = Bench.of(target, nullIfEmpty(model), State.COOLING, until, "rate limited (429)", probeTimeoutMs);
    byModel.put(model, bench);
    shared.accept(BenchEvent.set(bench, 0));
    if (before == null || before.until() <= now) {
      transition("cooling", "target {} model {} of channel {} cooling down for {} ms: rate limited (429)", target, model, o.channelId(), forMs);
    }
    return true;
  }

  private boolean disable(Outcome o, long target, long now) {
    Bench before = disabled.get(target);
    String why = "credential rejected (" + o.status() + ")";
    Bench bench = Bench.of(target, null, State.DISABLED, now + maxCooldownMs, why, probeTimeoutMs);
    disabled.put(target, bench);
    disabledProbeLogged.remove(target);
    shared.accept(BenchEvent.set(bench, 0));
    if (before == null) {
      transition("disabled", "credential {} of channel {} disabled: {}; a probe in {} ms", target, o.channelId(), why, maxCooldownMs);
    } else if (now >= before.until()) {
      transition("disabled", "credential {} of channel {} still rejected after its probe: {}", target, o.channelId(), why);
    }
    return true;
  }

  private boolean error(Outcome o, long target, String model, long now) {
    Circuit c = circuit(target, model, true);
    if (c.open != null) {
      if (now < c.open.until()) return false; // an attempt that started before the circuit opened
      c.trips++;
      long forMs = Math.min(circuitOpenMs << Math.min(c.trips, 20), maxCooldownMs);
      c.open = Bench.of(target, nullIfEmpty(model), State.OPEN, now + forMs, "probe failed: " + o.kind(), probeTimeoutMs);
      c.halfOpenLogged = false;
      transition("open", "circuit of target {} model {} reopened for {} ms: the probe failed ({})", target, model, forMs, o.kind());
      shared.accept(BenchEvent.set(c.open, c.trips));
      return true;
    }
    c.errors.addLast(now);
    while (!c.errors.isEmpty() && c.errors.peekFirst() <= now - errorWindowMs) c.errors.pollFirst();
    if (c.errors.size() < maxErrorCount) return false;
    String why = c.errors.size() + " errors in " + errorWindowMs + " ms, last " + o.kind() + (o.status() > 0 ? " " + o.status() : "");
    c.open = Bench.of(target, nullIfEmpty(model), State.OPEN, now + circuitOpenMs, why, probeTimeoutMs);
    c.errors.clear();
    c.halfOpenLogged = false;
    transition("open", "circuit of target {} model {} of channel {} opened for {} ms: {}", target, model, o.channelId(), circuitOpenMs, why);
    shared.accept(BenchEvent.set(c.open, c.trips));
    return true;
  }

  /** Logs the time-driven transitions once (cooldown over, half-open) and forgets spent cooldowns. */
  void sweep(long now) {
    Set<Bench> current = Collections.newSetFromMap(new IdentityHashMap<>());
    benches().values().forEach(current::addAll);
    fromPeers.retainAll(current);
    for (Iterator<Map<String, Bench>> it = cooling.values().iterator(); it.hasNext(); ) {
      Map<String, Bench> byModel = it.next();
      byModel.values().removeIf(b -> {
        if (b.until() > now) return false;
        transition(fromPeers.remove(b), "ready", "target {} model {} cooled down", b.target(), b.model() == null ? "" : b.model());
        return true;
      });
      if (byModel.isEmpty()) it.remove();
    }
    circuits.forEach((target, byModel) -> byModel.forEach((model, c) -> {
      if (c.open != null && now >= c.open.until() && !c.halfOpenLogged) {
        c.halfOpenLogged = true;
        transition(fromPeers.contains(c.open), "half_open", "circuit of target {} model {} half-open: one probe allowed", target, model);
      }
    }));
    disabled.forEach((target, b) -> {
      if (now >= b.until() && disabledProbeLogged.putIfAbsent(target, true) == null) {
        transition(fromPeers.contains(b), "half_open", "credential {} half-open: one probe allowed ({})", target, b.reason());
      }
    });
  }

  /** Every bench in force or waiting for a probe, by target, for a snapshot. */
  Map<Long, List<Bench>> benches() {
    Map<Long, List<Bench>> out = new HashMap<>();
    disabled.forEach((t, b) -> out.computeIfAbsent(t, k -> new ArrayList<>()).add(b));
    cooling.forEach((t, byModel) -> byModel.values().forEach(b -> out.computeIfAbsent(t, k -> new ArrayList<>()).add(b)));
    circuits.forEach((t, byModel) -> byModel.values().forEach(c -> {
      if (c.open != null) out.computeIfAbsent(t, k -> new ArrayList<>()).add(c.open);
    }));
    Map<Long, List<Bench>> frozen = new HashMap<>();
    out.forEach((t, list) -> frozen.put(t, List.copyOf(list)));
    return Map.copyOf(frozen);
  }

  /** Latest time each target is benched until, for any model (for logs and older callers). */
  Map<Long, Long> benched() {
    Map<Long, Long> out = new HashMap<>();
    benches().forEach((t, list) -> list.forEach(b -> out.merge(t, b.until(), Math::max)));
    return out;
  }

  private Circuit circuit(long target, String model, boolean create) {
    Map<String, Circuit> byModel = create ? circuits.computeIfAbsent(target, t -> new HashMap<>()) : circuits.get(target);
    if (byModel == null) return null;
    return create ? byModel.computeIfAbsent(model, m -> new Circuit()) : byModel.get(model);
  }

  private void transition(String to, String message, Object... args) {
    log.warn(message, args);
    transitions.accept(to);
  }

  /** A transition of a bench a peer set: logged by that peer, counted here as a peer's. */
  private void transition(boolean peer, String to, String message, Object... args) {
    if (!peer) {
      transition(to, message, args);
      return;
    }
    log.debug(message, args);
    peerTransitions.accept(to);
  }

  /**
   * A bench another instance set or cleared, applied as if it had happened here but neither
   * shared back nor counted as this instance's; true when the benches changed.
   */
  boolean applyPeer(BenchEvent e, long now) {
    long target = e.target();
    String model = e.modelKey();
    if (e.cleared()) {
      switch (e.state()) {
        case DISABLED -> {
          if (disabled.remove(target) == null) return false;
          disabledProbeLogged.remove(target);
          transition(true, "enabled", "credential {} re-enabled by a peer", target);
          return true;
        }
        case OPEN -> {
          Circuit c = circuit(target, model, false);
          if (c == null || c.open == null) return false;
          c.open = null;
          c.trips = 0;
          c.errors.clear();
          transition(true, "closed", "circuit of target {} model {} closed by a peer", target, model);
          return true;
        }
        default -> {
          Map<String, Bench> byModel = cooling.get(target);
          return byModel != null && byModel.remove(model) != null;
        }
      }
    }
    Bench bench = Bench.of(target, e.model(), e.state(), e.until(), e.reason(), probeTimeoutMs);
    switch (e.state()) {
      case COOLING -> {
        if (e.until() <= now) return false;
        Map<String, Bench> byModel = cooling.computeIfAbsent(target, t -> new HashMap<>());
        Bench before = byModel.get(model);
        if (before != null && before.until() >= e.until()) return false;
        byModel.put(model, bench);
        fromPeers.add(bench);
        if (before == null || before.until() <= now) {
          transition(true, "cooling", "target {} model {} cooling down until {} (from a peer): {}", target, model, e.until(), e.reason());
        }
      }
      case DISABLED -> {
        Bench before = disabled.get(target);
        if (before != null && before.until() == e.until()) return false;
        disabled.put(target, bench);
        disabledProbeLogged.remove(target);
        fromPeers.add(bench);
        transition(true, "disabled", "credential {} disabled (from a peer): {}", target, e.reason());
      }
      default -> {
        Circuit c = circuit(target, model, true);
        if (c.open != null && c.open.until() == e.until()) return false;
        c.open = bench;
        c.trips = e.trips();
        c.errors.clear();
        c.halfOpenLogged = false;
        fromPeers.add(bench);
        transition(true, "open", "circuit of target {} model {} open (from a peer): {}", target, model, e.reason());
      }
    }
    return true;
  }

  private static String nullIfEmpty(String s) {
    return s.isEmpty() ? null : s;
  }
}
