package dev.switchboard.config;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The configuration in force: the one loaded at start-up until a reload replaces what may
 * change at run time. Readers take {@link #get()} each time they need it, on any thread.
 */
public final class LiveConfig {

  private volatile SwitchboardConfig current;
  /** Reads the file the gateway started with again; null when it was not started from a file. */
  private final Supplier<Future<SwitchboardConfig>> source;

  public LiveConfig(SwitchboardConfig initial, Supplier<Future<SwitchboardConfig>> source) {
    this.current = initial;
    this.source = source;
  }

  public SwitchboardConfig get() {
    return current;
  }

  public void set(SwitchboardConfig next) {
    current = next;
  }

  /** Whether {@link #reread()} has a file to read. */
  public boolean reloadable() {
    return source != null;
  }

  /** The file parsed and validated again (a {@link ConfigException} when it is invalid); nothing is applied. */
  public Future<SwitchboardConfig> reread() {
    if (source == null) return Future.failedFuture(new ConfigException("--config", "the gateway was not started from a file"));
    try {
      return source.get();
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
  }
}
