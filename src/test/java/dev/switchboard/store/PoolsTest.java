package dev.switchboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.SwitchboardConfig.Database;
import org.junit.jupiter.api.Test;

/** Database URLs: accepted forms, and no password in descriptions or errors. */
class PoolsTest {

  @Test
  void describesServersByHostPortAndDatabaseOnly() {
    assertEquals("postgres db.internal:5433/gw",
        Pools.describe(new Database("postgres", "postgresql://gw:hunter2@db.internal:5433/gw", 4)));
    assertEquals("postgres db.internal:5432/gw",
        Pools.describe(new Database("postgres", "postgres://gw@db.internal/gw", 4)));
    assertEquals("mysql 127.0.0.1:3306/test",
        Pools.describe(new Database("mysql", "mysql://root:hunter2@127.0.0.1:3306/test", 4)));
    assertEquals("sqlite data/switchboard.db",
        Pools.describe(new Database("sqlite", "data/switchboard.db", 1)));
  }

  @Test
  void rejectsMalformedUrlsWithoutRepeatingThem() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> Pools.describe(new Database("postgres", "http://gw:hunter2@db/gw", 4)));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertThrows(ConfigException.class, () -> Dialect.of("oracle"));
  }

  @Test
  void rewritesPlaceholdersForPostgresOnly() {
    String sql = "UPDATE t SET a = ?, b = ? WHERE id = ?";
    assertEquals("UPDATE t SET a = $1, b = $2 WHERE id = $3", Dialect.POSTGRES.sql(sql));
    assertEquals(sql, Dialect.MYSQL.sql(sql));
    assertEquals(sql, Dialect.SQLITE.sql(sql));
  }
}
