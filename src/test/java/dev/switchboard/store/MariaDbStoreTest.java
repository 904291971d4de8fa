package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on MySQL or MariaDB at {@code SWITCHBOARD_TEST_MYSQL_URL}, for example
 * {@code mysql://root@127.0.0.1:3306/test}. Drops the Switchboard tables there.
 */
class MariaDbStoreTest extends StoreContractTest {

  private static final String URL = TestServers.mysqlUrl();

  private static String skipNotice;

  @BeforeAll
  static void announceSkip() {
    skipNotice = TestDatabases.skipNotice(URL, "MySQL/MariaDB", "SWITCHBOARD_TEST_MYSQL_URL");
  }

  @Override
  protected String skipNotice() {
    return skipNotice;
  }

  @Override
  protected SwitchboardConfig.Database database() {
    return new SwitchboardConfig.Database("mysql", URL, 4);
  }

  @Override
  protected void reset(Vertx vertx) {
    TestDatabases.dropAll(vertx, database());
  }
}
