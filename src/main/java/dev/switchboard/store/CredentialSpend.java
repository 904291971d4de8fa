package dev.switchboard.store;

/**
 * What a credential has used against its own quotas: {@code tokens} (input + output) and
 * {@code costNanos} (billionths of the prices' currency). A total when read, a delta when added.
 */
public record CredentialSpend(long credentialId, long tokens, long costNanos) {}
