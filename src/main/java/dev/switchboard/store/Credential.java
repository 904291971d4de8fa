package dev.switchboard.store;

/** One upstream secret of a channel, decrypted in memory only. */
public record Credential(long id, long channelId, String secret, boolean enabled) {

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "Credential[id=" + id + ", channelId=" + channelId + ", enabled=" + enabled + "]";
  }
}
