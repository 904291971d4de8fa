package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteRequestLogStoreTest extends RequestLogStoreContractTest {

  @TempDir
  Path dir;

  @Override
  protected SwitchboardConfig.Database database(Vertx vertx) {
    return new SwitchboardConfig.Database("sqlite", dir.resolve("requests.db").toString(), 1);
  }
}
