package dev.switchboard.select;

/**
 * What a finished request consumed on its lease, sent fire-and-forget by the edge to
 * {@code POOL_OUTCOME} after the usage is known: {@code tokens} (input + output) count against
 * the channel's {@code quota}, which {@code most_remaining} ranks by.
 */
public record Spend(long target, long channelId, String model, long tokens) {

  public static Spend of(Lease lease, long tokens) {
    return new Spend(lease.target(), lease.channelId(), lease.upstreamModel(), tokens);
  }
}
