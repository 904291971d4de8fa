package dev.switchboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, in a fresh file under a not-yet-existing directory per test. */
class SqliteStoreTest extends StoreContractTest {

  @TempDir
  Path dir;

  @Override
  protected SwitchboardConfig.Database database() {
    return new SwitchboardConfig.Database("sqlite", dir.resolve("data/switchboard.db").toString(), 4);
  }

  @Override
  protected void reset(Vertx vertx) {
    // every test has its own temporary directory
  }

  @Test
  void runsInWriteAheadLogModeWithABusyTimeout() {
    assertEquals("wal", raw.query("PRAGMA journal_mode").iterator().next().getString(0).toLowerCase());
    assertEquals(10000, raw.query("PRAGMA busy_timeout").iterator().next().getInteger(0));
  }
}
