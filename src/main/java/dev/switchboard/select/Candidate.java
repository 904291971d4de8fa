package dev.switchboard.select;

import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;

/**
 * One target a tier can lease: a member (a channel and the model name its upstream knows) and
 * one of the channel's credentials, or none for a channel without keys. {@code member} numbers
 * the members of the tier so credentials of one member can share its weight.
 */
record Candidate(Channel channel, Credential credential, String upstreamModel, int member, int weight, double cost) {

  long target() {
    return credential != null ? credential.id() : -channel.id();
  }

  long age() {
    return credential != null ? credential.id() : channel.id();
  }

  Lease lease(String baseUrl) {
    return new Lease(channel.id(), channel.name(), channel.type(), credential == null ? 0 : credential.id(),
        credential == null ? null : credential.secret(), baseUrl, upstreamModel);
  }
}
