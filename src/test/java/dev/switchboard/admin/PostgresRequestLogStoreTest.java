package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;

/** The request log on PostgreSQL ({@code SWITCHBOARD_TEST_PG_URL}), in a database of its own. */
class PostgresRequestLogStoreTest extends RequestLogStoreContractTest {

  @Override
  protected SwitchboardConfig.Database database(Vertx vertx) {
    return AdminTestDatabases.postgres(vertx, DATABASE);
  }
}
