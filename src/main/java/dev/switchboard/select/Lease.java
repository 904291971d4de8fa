package dev.switchboard.select;

/**
 * What one attempt uses: a channel, one of its credentials and base URLs, and the model name
 * the upstream knows. {@code credentialId} is 0 for a channel that needs no key.
 */
public record Lease(
    long channelId, String channelName, String channelType, long credentialId, String secret,
    String baseUrl, String upstreamModel) {

  /** Identifies the credential (or key-less channel) so a retry never reuses it. */
  public long target() {
    return credentialId != 0 ? credentialId : -channelId;
  }

  @Override
  public String toString() {
    return "Lease[channel=" + channelName + ", credential=" + credentialId + ", model=" + upstreamModel + "]";
  }
}
