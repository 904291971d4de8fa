package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL at {@code SWITCHBOARD_TEST_PG_URL}, for example
 * {@code postgresql://postgres@127.0.0.1:5432/test}. Drops the Switchboard tables there.
 */
class PostgresStoreTest extends StoreContractTest {

  private static final String URL = TestServers.postgresUrl();

  private static String skipNotice;

  @BeforeAll
  static void announceSkip() {
    skipNotice = TestDatabases.skipNotice(URL, "PostgreSQL", "SWITCHBOARD_TEST_PG_URL");
  }

  @Override
  protected String skipNotice() {
    return skipNotice;
  }

  @Override
  protected SwitchboardConfig.Database database() {
    return new SwitchboardConfig.Database("postgres", URL, 4);
  }

  @Override
  protected void reset(Vertx vertx) {
    TestDatabases.dropAll(vertx, database());
  }
}
