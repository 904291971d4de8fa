package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;

/** The request log on MySQL/MariaDB ({@code SWITCHBOARD_TEST_MYSQL_URL}), in a database of its own. */
class MariaDbRequestLogStoreTest extends RequestLogStoreContractTest {

  @Override
  protected SwitchboardConfig.Database database(Vertx vertx) {
    return AdminTestDatabases.mysql(vertx, DATABASE);
  }
}
