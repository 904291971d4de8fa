package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;

/** The admin store contract on PostgreSQL ({@code SWITCHBOARD_TEST_PG_URL}), in a database of its own. */
class PostgresAdminStoreTest extends AdminStoreContractTest {

  @Override
  protected SwitchboardConfig.Database database(Vertx vertx) {
    return AdminTestDatabases.postgres(vertx);
  }
}
