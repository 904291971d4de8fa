package dev.switchboard.select;

import io.vertx.core.json.JsonObject;

/**
 * One health transition as instances sharing a Redis exchange it: a bench of a (credential,
 * model) set (cooling until a retry-after, disabled with its reason, circuit opened after
 * {@code trips} failed probes) or cleared (the credential answered again, the circuit closed).
 * A cooldown running out and a bench turning half-open are not sent: every instance derives
 * them from {@code until}.
 */
public record BenchEvent(boolean cleared, long target, String model, Bench.State state, long until, String reason, int trips) {

  static BenchEvent set(Bench b, int trips) {
    return new BenchEvent(false, b.target(), b.model(), b.state(), b.until(), b.reason(), trips);
  }

  static BenchEvent clear(long target, String model, Bench.State state) {
    return new BenchEvent(true, target, model, state, 0, null, 0);
  }

  /** {@code model}, or "" for a bench of every model, as it appears in keys. */
  String modelKey() {
    return model == null ? "" : model;
  }

  JsonObject toJson(String from) {
    JsonObject j = new JsonObject().put("from", from).put("op", cleared ? "clear" : "set").put("target", target)
        .put("state", state.name());
    if (model != null) j.put("model", model);
    if (!cleared) j.put("until", until).put("reason", reason).put("trips", trips);
    return j;
  }

  /** The event in a peer's message, or null when it is not one (another version, garbage). */
  static BenchEvent fromJson(JsonObject j) {
    try {
      String op = j.getString("op");
      Bench.State state = Bench.State.valueOf(j.getString("state"));
      Long target = j.getLong("target");
      if (target == null || !("set".equals(op) || "clear".equals(op))) return null;
      String model = j.getString("model");
      if ("clear".equals(op)) return clear(target, model, state);
      Long until = j.getLong("until");
      if (until == null) return null;
      return new BenchEvent(false, target, model, state, until, j.getString("reason", ""), j.getInteger("trips", 0));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
