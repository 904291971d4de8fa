package dev.switchboard.edge;

import dev.switchboard.select.PoolSnapshot;

/** What a client hears when an attempt, or the whole request, fails: one place for the wording. */
final class Failures {

  private Failures() {}

  static String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 429 -> "rate_limit_error";
      default -> "invalid_request_error";
    };
  }

  static GatewayError clientClosed() {
    return new GatewayError(499, "client_closed", "client_closed", "The client went away.");
  }

  /** What the client hears of a failed attempt, should it be the last; the upstream's message where that is safe. */
  static GatewayError upstreamFailure(int status, long retryAfterMs, String message, Call call) {
    call.onlyRateLimited &= status == 429;
    if (status == 429 && call.onlyRateLimited) {
      return new GatewayError(429, "rate_limit_error", "upstream_rate_limited",
          "All upstreams for this model are rate limited. Last upstream said: " + message, retryAfterMs);
    }
    if (status == 429) {
      return new GatewayError(502, "upstream_error", "upstream_429", "The upstream rate limited the last attempt: " + message);
    }
    if (status == 401 || status == 403) {
      return new GatewayError(502, "upstream_error", "upstream_auth_failed",
          "The upstream rejected the gateway's credentials (" + status + ").");
    }
    if (status == 503 || status == 529) {
      return new GatewayError(503, "server_error", "upstream_overloaded", "The upstream is overloaded: " + message, retryAfterMs);
    }
    return new GatewayError(502, "upstream_error", "upstream_" + status, "The upstream failed with " + status + ": " + message);
  }

  static GatewayError noUpstream(PoolSnapshot pool, String model, long now) {
    long back = pool.earliestReturn(model, now);
    if (pool.onlyRateLimited(model, now)) {
      return new GatewayError(429, "rate_limit_error", "upstream_rate_limited",
          "Every upstream for '" + model + "' is rate limited right now.", back > 0 ? back - now : -1);
    }
    return new GatewayError(503, "server_error", "no_upstream_available",
        "No upstream is available for '" + model + "' right now.", back > 0 ? back - now : -1);
  }
}
