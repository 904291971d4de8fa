package dev.switchboard.upstream;

import java.util.concurrent.TimeoutException;

/** The upstream sent nothing for {@code routing.idleTimeout} after its response head. Stackless. */
public final class UpstreamIdleTimeoutException extends TimeoutException {

  public UpstreamIdleTimeoutException(long timeoutMs) {
    super("the upstream sent nothing for " + timeoutMs + " ms");
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
