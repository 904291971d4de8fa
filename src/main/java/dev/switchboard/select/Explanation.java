package dev.switchboard.select;

import java.util.List;

/**
 * A dry run of {@link PoolSnapshot#pick}: the name the request resolved to, and every candidate
 * in the order tiers are tried, with the reason it would be skipped (null = usable).
 */
public record Explanation(String model, String resolved, List<Step> candidates) {

  /** One candidate: its tier, the tier's strategy, and why it would be skipped. */
  public record Step(int tier, String strategy, String channel, long credentialId, String upstreamModel, String skipped) {}
}
