package dev.switchboard.stats;

/**
 * One finished request, as the edge saw it. Immutable; travels on the event bus with a local
 * codec and is written in batches by the stats verticle. Ids are 0 where no channel,
 * credential or key was involved.
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
    long bytesOut) {}
