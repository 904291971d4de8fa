package dev.switchboard.select;

/**
 * Hears, as a pick happens, why candidates were passed over and which one was chosen, so the
 * request log can show each request's routing decisions without a second pass over the pool.
 * Called on the picking edge's event loop; {@link #NONE} ignores everything (dry runs, probes).
 */
public interface PickTrace {

  /** A candidate not taken: {@code reason} is short text such as "already tried" or "cooling for 800 ms: 429". */
  void skipped(String channel, long credentialId, String upstreamModel, String reason);

  /** The pick's choice: the group the model resolved to, the tier (0 = first), its strategy, and whether the session's binding chose it. */
  void chose(String group, int tier, String strategy, boolean bySession);

  /** Once per lease asked with a session: the target it is bound to, 0 when none yet. */
  void session(long boundTarget);

  PickTrace NONE = new PickTrace() {
    @Override
    public void skipped(String channel, long credentialId, String upstreamModel, String reason) {}

    @Override
    public void chose(String group, int tier, String strategy, boolean bySession) {}

    @Override
    public void session(long boundTarget) {}
  };
}
