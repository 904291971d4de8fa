package dev.switchboard.store;

/**
 * What a channel has used against its quotas: tokens (input + output) and cost in billionths
 * of the prices' currency. Stored as running sums every instance adds to.
 */
public record ChannelSpend(long channelId, long tokens, long costNanos) {}
