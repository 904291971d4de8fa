package dev.switchboard.select;

/**
 * What a finished request consumed on its lease, sent fire-and-forget by the edge to
 * {@code POOL_OUTCOME} after the usage is known: {@code tokens} (input + output) count against
 * the channel's {@code quota}, {@code costNanos} (billionths of the prices' currency, 0 when
 * unpriced) against its {@code costQuota}; {@code most_remaining} ranks by what is left.
 */
public record Spend(long target, long channelId, String model, long tokens, long costNanos) {

  public static Spend of(Lease lease, long tokens) {
    return of(lease, tokens, 0);
  }

  public static Spend of(Lease lease, long tokens, long costNanos) {
    return new Spend(lease.target(), lease.channelId(), lease.upstreamModel(), tokens, costNanos);
  }
}
