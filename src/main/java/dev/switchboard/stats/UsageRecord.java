package dev.switchboard.stats;

/**
 * One finished request, as the edge saw it. Immutable; travels on the event bus with a local
 * codec and is written in batches by the stats verticle. Ids are 0 where no channel,
 * credential or key was involved.
 *
 * <p>Tokens follow {@link Usage}: {@code inputTokens} includes cached tokens and cache writes.
 * {@code costNanos} is the cost in billionths of the price currency (USD for the synced
 * catalogue), {@code priceVersion} the id of the price row it was computed with; both are
 * {@link #UNPRICED} until the stats verticle (or the edge, to return the cost to the client)
 * prices the record. {@code user} is the end user the client named, {@code group} the routing
 * group; {@code clientProtocol}/{@code upstreamProtocol} are protocol names such as
 * {@code openai-chat}, {@code anthropic-messages}, {@code gemini}, {@code openai-responses}.
 * {@code trail} is how the request was routed (attempts, skipped candidates), or null.
 */
public record UsageRecord(
    String requestId,
    long timestampMs,
    long clientKeyId,
    String model,
    long channelId,
    long credentialId,
    String upstreamModel,
    String route,
    boolean streamed,
    int status,
    String errorClass,
    int attempts,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    long reasoningTokens,
    long latencyMs,
    long ttftMs,
    long bytesIn,
    long bytesOut,
    String user,
    String group,
    String clientProtocol,
    String upstreamProtocol,
    long cacheWrite5mTokens,
    long cacheWrite1hTokens,
    long costNanos,
    long priceVersion,
    boolean estimated,
    RouteTrail trail) {

  /** {@code costNanos} and {@code priceVersion} of a record not priced (yet, or no price known). */
  public static final long UNPRICED = -1;

  /** Without a routing trail. */
  public UsageRecord(String requestId, long timestampMs, long clientKeyId, String model, long channelId,
      long credentialId, String upstreamModel, String route, boolean streamed, int status, String errorClass,
      int attempts, long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens, long latencyMs,
      long ttftMs, long bytesIn, long bytesOut, String user, String group, String clientProtocol,
      String upstreamProtocol, long cacheWrite5mTokens, long cacheWrite1hTokens, long costNanos, long priceVersion,
      boolean estimated) {
    this(requestId, timestampMs, clientKeyId, model, channelId, credentialId, upstreamModel, route, streamed, status,
        errorClass, attempts, inputTokens, outputTokens, cachedTokens, reasoningTokens, latencyMs, ttftMs, bytesIn,
        bytesOut, user, group, clientProtocol, upstreamProtocol, cacheWrite5mTokens, cacheWrite1hTokens, costNanos,
        priceVersion, estimated, null);
  }

  /** A record as the edge reported it before usage accounting: no user, group, protocols, cache writes or cost. */
  public UsageRecord(String requestId, long timestampMs, long clientKeyId, String model, long channelId,
      long credentialId, String upstreamModel, String route, boolean streamed, int status, String errorClass,
      int attempts, long inputTokens, long outputTokens, long cachedTokens, long reasoningTokens, long latencyMs,
      long ttftMs, long bytesIn, long bytesOut) {
    this(requestId, timestampMs, clientKeyId, model, channelId, credentialId, upstreamModel, route, streamed, status,
        errorClass, attempts, inputTokens, outputTokens, cachedTokens, reasoningTokens, latencyMs, ttftMs, bytesIn,
        bytesOut, null, null, null, null, 0, 0, UNPRICED, UNPRICED, false, null);
  }

  /** The token counts of this record. */
  public Usage usage() {
    return new Usage(inputTokens, outputTokens, cachedTokens, reasoningTokens, cacheWrite5mTokens,
        cacheWrite1hTokens, estimated);
  }

  /** The model prices are looked up by: what the upstream served, else what the client asked for. */
  public String pricedModel() {
    return upstreamModel != null && !upstreamModel.isEmpty() ? upstreamModel : model;
  }

  public boolean priced() {
    return priceVersion != UNPRICED;
  }

  /** This record with its cost. */
  public UsageRecord withCost(long nanos, long version) {
    return new UsageRecord(requestId, timestampMs, clientKeyId, model, channelId, credentialId, upstreamModel, route,
        streamed, status, errorClass, attempts, inputTokens, outputTokens, cachedTokens, reasoningTokens, latencyMs,
        ttftMs, bytesIn, bytesOut, user, group, clientProtocol, upstreamProtocol, cacheWrite5mTokens,
        cacheWrite1hTokens, nanos, version, estimated, trail);
  }

  /** This record with the token counts of {@code u} (cache writes and the estimated flag included). */
  public UsageRecord withUsage(Usage u) {
    return new UsageRecord(requestId, timestampMs, clientKeyId, model, channelId, credentialId, upstreamModel, route,
        streamed, status, errorClass, attempts, u.input(), u.output(), u.cached(), u.reasoning(), latencyMs,
        ttftMs, bytesIn, bytesOut, user, group, clientProtocol, upstreamProtocol, u.cacheWrite5m(),
        u.cacheWrite1h(), costNanos, priceVersion, u.estimated(), trail);
  }

  /** This record with who asked and through which protocols. */
  public UsageRecord withOrigin(String user, String group, String clientProtocol, String upstreamProtocol) {
    return new UsageRecord(requestId, timestampMs, clientKeyId, model, channelId, credentialId, upstreamModel, route,
        streamed, status, errorClass, attempts, inputTokens, outputTokens, cachedTokens, reasoningTokens, latencyMs,
        ttftMs, bytesIn, bytesOut, user, group, clientProtocol, upstreamProtocol, cacheWrite5mTokens,
        cacheWrite1hTokens, costNanos, priceVersion, estimated, trail);
  }

  /** This record with how it was routed. */
  public UsageRecord withTrail(RouteTrail routeTrail) {
    return new UsageRecord(requestId, timestampMs, clientKeyId, model, channelId, credentialId, upstreamModel, route,
        streamed, status, errorClass, attempts, inputTokens, outputTokens, cachedTokens, reasoningTokens, latencyMs,
        ttftMs, bytesIn, bytesOut, user, group, clientProtocol, upstreamProtocol, cacheWrite5mTokens,
        cacheWrite1hTokens, costNanos, priceVersion, estimated, routeTrail);
  }
}
