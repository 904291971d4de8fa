package dev.switchboard.store;

/**
 * One upstream secret of a channel, decrypted in memory only, with its own quotas set over the
 * API: {@code quota} in tokens, {@code costQuotaNanos} in billionths of the prices' currency
 * (-1 = none).
 */
public record Credential(long id, long channelId, String secret, boolean enabled, long quota, long costQuotaNanos) {

  /** Without quotas. */
  public Credential(long id, long channelId, String secret, boolean enabled) {
    this(id, channelId, secret, enabled, -1, -1);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "Credential[id=" + id + ", channelId=" + channelId + ", enabled=" + enabled + "]";
  }
}
