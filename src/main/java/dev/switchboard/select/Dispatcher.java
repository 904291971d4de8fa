package dev.switchboard.select;

import dev.switchboard.affinity.SessionAffinity;
import dev.switchboard.bus.Addresses;
import dev.switchboard.bus.Batcher;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.KeyRules;
import dev.switchboard.config.SwitchboardConfig.Rates;
import dev.switchboard.limit.Admission;
import dev.switchboard.limit.Limit;
import dev.switchboard.limit.LimitSet;
import dev.switchboard.limit.Limiter;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.KeyUsage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an edge calls around one client request, whatever its protocol: {@link #admit} once
 * the key and model are known (expiry, allow-list, the key's limits), {@link #lease} per
 * attempt (session binding, strategy, the credential's limits), {@link #report} per attempt,
 * and {@link #finish} exactly once at the end of every admitted request (binds the session,
 * counts tokens and cost, frees the concurrency slot). One per gateway instance; thread-safe.
 */
public final class Dispatcher {

  /** The answer to {@link #admit}: admitted with the limits to settle in {@link #finish}, or an error for the client. */
  public record Pass(boolean admitted, int status, String code, String message, long retryAfterMs, LimitSet limits) {

    static Pass ok(LimitSet limits) {
      return new Pass(true, 200, null, null, -1, limits);
    }

    static Pass no(int status, String code, String message, long retryAfterMs) {
      return new Pass(false, status, code, message, retryAfterMs, LimitSet.NONE);
    }
  }

  private final Vertx vertx;
  private final Limiter limiter;
  private final SessionAffinity affinity;
  private final long affinityTtlMs;
  private final HealthShare health;
  /** Outcomes and spends for the selector, one bus message per event-loop turn. */
  private final Batcher outcomes;

  public Dispatcher(Vertx vertx, Limiter limiter, SessionAffinity affinity, long affinityTtlMs) {
    this(vertx, limiter, affinity, affinityTtlMs, HealthShare.none());
  }

  Dispatcher(Vertx vertx, Limiter limiter, SessionAffinity affinity, long affinityTtlMs, HealthShare health) {
    this.vertx = vertx;
    this.limiter = limiter;
    this.affinity = affinity;
    this.affinityTtlMs = affinityTtlMs;
    this.health = health;
    this.outcomes = new Batcher(vertx, Addresses.POOL_OUTCOME);
  }

  /** Counters and bindings in Redis when {@code redis.url} is set (exact across instances, kept across restarts), else in memory. */
  public static Dispatcher create(Vertx vertx, SwitchboardConfig config) {
    return create(vertx, config, HealthShare.none());
  }

  /**
   * As {@link #create(Vertx, SwitchboardConfig)}; with a shared {@code health}, the probe of a
   * half-open bench is also claimed across instances. The caller closes {@code health}.
   */
  public static Dispatcher create(Vertx vertx, SwitchboardConfig config, HealthShare health) {
    String url = config.redis().url();
    if (url == null) {
      return new Dispatcher(vertx, Limiter.local(), SessionAffinity.local(1_000_000), config.routing().affinityTtlMs(), health);
    }
    Redis client = Redis.createClient(vertx, Limiter.redisOptions(url));
    String prefix = config.redis().prefix();
    return new Dispatcher(vertx, Limiter.redis(client, prefix + "lim:"), SessionAffinity.redis(client, prefix + "aff:"),
        config.routing().affinityTtlMs(), health);
  }

  /**
   * The in-memory counters of keys' daily and monthly budgets and rpd, from what the database
   * recorded in the current windows: without Redis, a restart would otherwise give every key its
   * whole budget again. A no-op with Redis, whose counters outlive the instance.
   */
  public void seed(List<KeyUsage> usage, long now) {
    Limit.Window day = Limit.Window.DAY;
    Limit.Window month = Limit.Window.MONTH;
    for (KeyUsage u : usage) {
      long id = u.clientKeyId();
      // the limits count cost in whole micro-units
      limiter.seed(LimitSet.costPerDay(id), day.start(now), day.end(now), u.costTodayNanos() / 1_000);
      limiter.seed(LimitSet.costPerMonth(id), month.start(now), month.end(now), u.costThisMonthNanos() / 1_000);
      limiter.seed(LimitSet.requestsPerDay(id), day.start(now), day.end(now), u.requestsToday());
    }
  }

  /** Expiry (401), the key's model list (404) and its rate, concurrency and budget limits (429 with retry-after). */
  public Future<Pass> admit(PoolSnapshot pool, ClientKey key, String model, long now) {
    KeyRules rules = pool.keyRules(key);
    if (rules.expiresAtMs() > 0 && now >= rules.expiresAtMs()) {
      return Future.succeededFuture(Pass.no(401, "key_expired", "This API key has expired.", -1));
    }
    if (!pool.serves(model) || !pool.allows(key, model)) {
      return Future.succeededFuture(Pass.no(404, "model_not_found", "The model '" + model + "' does not exist or is not available to this key.", -1));
    }
    LimitSet limits = LimitSet.forKey(key.id(), rules);
    if (limits.isEmpty()) return Future.succeededFuture(Pass.ok(limits));
    return limiter.acquire(limits.all(), now).map(a -> a.admitted() ? Pass.ok(limits) : rejected(a));
  }

  private static Pass rejected(Admission a) {
    String which = a.limit().substring(a.limit().lastIndexOf(':') + 1);
    boolean budget = which.startsWith("cost");
    return Pass.no(429, budget ? "budget_exceeded" : "rate_limit_exceeded",
        budget ? "This API key has spent its " + (which.endsWith("day") ? "daily" : "monthly") + " budget."
            : "This API key is over its " + which + " limit.", a.retryAfterMs());
  }

  /**
   * A lease for the next attempt, or null when nothing is usable: the session's bound target
   * while it is usable, else the group's strategy, skipping credentials over their own limits
   * (those are not attempts: the caller adds only the returned lease's target to {@code tried}).
   */
  public Future<Lease> lease(PoolSnapshot pool, String model, Set<Long> tried, String sessionKey, long now) {
    return lease(pool, model, tried, sessionKey, now, PickTrace.NONE);
  }

  /** The same, telling {@code trace} the session's binding, every candidate passed over and why, and the choice. */
  public Future<Lease> lease(PoolSnapshot pool, String model, Set<Long> tried, String sessionKey, long now, PickTrace trace) {
    boolean affine = sessionKey != null && affinityTtlMs > 0;
    Future<Long> bound = affine ? affinity.target(model, sessionKey, now) : Future.succeededFuture(0L);
    return bound.compose(target -> {
      if (affine) trace.session(target);
      return leaseWithin(pool, model, tried, target, now, null, trace);
    });
  }

  private Future<Lease> leaseWithin(PoolSnapshot pool, String model, Set<Long> tried, long preferred, long now, Set<Long> full,
      PickTrace trace) {
    Lease lease = pool.pick(model, full == null ? tried : full, now, preferred, full == null ? trace : new ChoiceOnly(trace));
    if (lease == null) return Future.succeededFuture();
    Bench probe = health == HealthShare.none() ? null : pool.probing(lease, now);
    if (probe == null) return withinLimits(pool, model, tried, preferred, now, full, lease, trace);
    // this instance claimed the probe; another instance may have claimed it first
    return health.claimProbe(probe, probe.probeTimeoutMs()).compose(mine -> {
      if (mine) return withinLimits(pool, model, tried, preferred, now, full, lease, trace);
      trace.skipped(lease.channelName(), lease.credentialId(), lease.upstreamModel(), "half-open, probed by another instance");
      return leaseWithin(pool, model, tried, preferred, now, without(full == null ? tried : full, lease.target()), trace);
    });
  }

  private static Set<Long> without(Set<Long> skip, long target) {
    Set<Long> out = new HashSet<>(skip);
    out.add(target);
    return out;
  }

  private Future<Lease> withinLimits(PoolSnapshot pool, String model, Set<Long> tried, long preferred, long now, Set<Long> full,
      Lease lease, PickTrace trace) {
    Rates rates = pool.channelRules(lease.channelId()).limits();
    if (!rates.any()) return Future.succeededFuture(lease);
    return limiter.acquire(LimitSet.forTarget(lease.target(), rates).all(), now).compose(a -> {
      if (a.admitted()) return Future.succeededFuture(lease);
      trace.skipped(lease.channelName(), lease.credentialId(), lease.upstreamModel(),
          "over its own " + a.limit().substring(a.limit().lastIndexOf(':') + 1) + " limit");
      return leaseWithin(pool, model, tried, preferred, now, without(full == null ? tried : full, lease.target()), trace);
    });
  }

  /**
   * A second pick after a credential was over its limit sees it as "tried": the trace already
   * heard why, and candidates skipped for other reasons are told once, by the first pick.
   */
  private record ChoiceOnly(PickTrace trace) implements PickTrace {
    @Override
    public void skipped(String channel, long credentialId, String upstreamModel, String reason) {}

    @Override
    public void chose(String group, int tier, String strategy, boolean bySession) {
      trace.chose(group, tier, strategy, bySession);
    }

    @Override
    public void session(long boundTarget) {}
  }

  /** Per attempt, once the upstream's head (or failure) is known. */
  public void report(Outcome outcome) {
    outcomes.send(outcome);
  }

  /**
   * Once per admitted request, however it ended. {@code lease} is the last attempt's (null if
   * none), {@code answered} whether it succeeded; {@code tokens} input + output, {@code costNanos}
   * in billionths of the prices' currency (0 when unknown), for key budgets and channel quotas.
   */
  public Future<Void> finish(PoolSnapshot pool, Pass pass, String model, String sessionKey, Lease lease, boolean answered,
      long tokens, long costNanos, long now) {
    Future<Void> bind = Future.succeededFuture();
    if (answered && lease != null && sessionKey != null && affinityTtlMs > 0) {
      bind = affinity.bind(model, sessionKey, lease.target(), affinityTtlMs, now);
    }
    LimitSet keyLimits = pass.limits();
    Future<Void> settle = Future.all(limiter.add(keyLimits.tokens(), tokens, now),
        limiter.add(keyLimits.cost(), costNanos / 1_000, now), limiter.release(keyLimits.all())).mapEmpty();
    if (lease != null && tokens > 0) {
      Rates rates = pool.channelRules(lease.channelId()).limits();
      if (rates.tpm() > 0) settle = settle.compose(v -> limiter.add(LimitSet.forTarget(lease.target(), rates).tokens(), tokens, now));
    }
    if (lease != null && (tokens > 0 || costNanos > 0)) {
      outcomes.send(Spend.of(lease, tokens, costNanos));
    }
    return Future.all(bind, settle).mapEmpty();
  }

  public Future<Void> close() {
    return Future.all(limiter.close(), affinity.close()).mapEmpty();
  }
}
