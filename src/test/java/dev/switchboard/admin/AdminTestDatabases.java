package dev.switchboard.admin;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnectOptions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Databases of the management suites' own on the shared PostgreSQL / MySQL server, named after
 * the configured database ({@code <name>_admin_it} for the store contract, {@code <name>_admin_http}
 * for the HTTP suites), so these tests never drop tables another suite, or another checkout
 * pointed at another database, is using.
 */
final class AdminTestDatabases {

  private static final Set<AdminDb> CREATED = EnumSet.noneOf(AdminDb.class);
  private static final Set<AdminDb> ANNOUNCED = EnumSet.noneOf(AdminDb.class);

  private AdminTestDatabases() {}

  /** A fresh, empty database on the PostgreSQL server, or null (loudly) when none is configured. */
  static SwitchboardConfig.Database postgres(Vertx vertx) {
    return postgres(vertx, "_admin_it");
  }

  /** The same in a database of its own, named after the configured one plus {@code suffix} (never emptied by another suite). */
  static SwitchboardConfig.Database postgres(Vertx vertx, String suffix) {
    String url = TestServers.postgresUrl();
    if (url == null) return skip("PostgreSQL", "SWITCHBOARD_TEST_PG_URL");
    return freshPostgres(vertx, PgConnectOptions.fromUri(url), suffix);
  }

  /** The same on the MySQL / MariaDB server. */
  static SwitchboardConfig.Database mysql(Vertx vertx) {
    return mysql(vertx, "_admin_it");
  }

  /** The same on the MySQL / MariaDB server. */
  static SwitchboardConfig.Database mysql(Vertx vertx, String suffix) {
    String url = TestServers.mysqlUrl();
    if (url == null) return skip("MySQL/MariaDB", "SWITCHBOARD_TEST_MYSQL_URL");
    return freshMysql(vertx, MySQLConnectOptions.fromUri(url), suffix);
  }

  /**
   * The database for an HTTP suite's gateway: null for SQLite (the gateway's own file); on a
   * server, its database emptied of rows (created and schema-less on the first use in this JVM,
   * then truncated, which is much cheaper than migrating again for every test). Skips the test,
   * loudly, when the server is not configured.
   */
  static SwitchboardConfig.Database http(Vertx vertx, AdminDb db) {
    if (db == AdminDb.SQLITE) return null;
    boolean pg = db == AdminDb.POSTGRES;
    String url = pg ? TestServers.postgresUrl() : TestServers.mysqlUrl();
    if (url == null) {
      synchronized (ANNOUNCED) {
        if (ANNOUNCED.add(db)) skip(pg ? "PostgreSQL" : "MySQL/MariaDB", pg ? "SWITCHBOARD_TEST_PG_URL" : "SWITCHBOARD_TEST_MYSQL_URL");
      }
      assumeTrue(false, "no " + db + " server configured (set " + (pg ? "SWITCHBOARD_TEST_PG_URL" : "SWITCHBOARD_TEST_MYSQL_URL") + ")");
    }
    synchronized (CREATED) {
      if (CREATED.add(db)) {
        return pg ? freshPostgres(vertx, PgConnectOptions.fromUri(url), "_admin_http")
            : freshMysql(vertx, MySQLConnectOptions.fromUri(url), "_admin_http");
      }
    }
    SwitchboardConfig.Database config = pg
        ? new SwitchboardConfig.Database("postgres", uri("postgresql", own(PgConnectOptions.fromUri(url), "_admin_http")), 4)
        : new SwitchboardConfig.Database("mysql", uri("mysql", own(MySQLConnectOptions.fromUri(url), "_admin_http")), 4);
    truncate(vertx, config);
    return config;
  }

  /** Rows of a query on a server database, as text. */
  static List<String> column(Vertx vertx, SwitchboardConfig.Database config, String sql) {
    Pool pool = pool(vertx, config);
    try {
      List<String> out = new ArrayList<>();
      for (Row row : pool.query(sql).execute().await()) out.add(row.getString(0));
      return out;
    } finally {
      pool.close().await();
    }
  }

  private static Pool pool(Vertx vertx, SwitchboardConfig.Database config) {
    SqlConnectOptions options = config.type().equals("postgres") ? PgConnectOptions.fromUri(config.url())
        : MySQLConnectOptions.fromUri(config.url());
    return Pool.pool(vertx, options, new PoolOptions().setMaxSize(1));
  }

  /** Every table but the schema version emptied, ids restarted: the state right after migrating. */
  private static void truncate(Vertx vertx, SwitchboardConfig.Database config) {
    Pool pool = pool(vertx, config);
    try {
      if (config.type().equals("postgres")) {
        List<String> tables = new ArrayList<>();
        pool.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'").execute().await()
            .forEach(r -> tables.add(r.getString(0)));
        if (!tables.isEmpty()) pool.query("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE").execute().await();
      } else {
        pool.withConnection(conn -> conn.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
            + " AND table_name <> 'schema_version'").execute().compose(rows -> {
              Future<?> chain = conn.query("SET FOREIGN_KEY_CHECKS = 0").execute();
              for (Row r : rows) {
                String table = r.getString(0);
                chain = chain.compose(v -> conn.query("TRUNCATE TABLE " + table).execute());
              }
              return chain.compose(v -> conn.query("SET FOREIGN_KEY_CHECKS = 1").execute());
            })).await();
      }
    } finally {
      pool.close().await();
    }
  }

  private static <T extends SqlConnectOptions> T own(T server, String suffix) {
    String base = server.getDatabase() == null || server.getDatabase().isBlank() ? "switchboard" : server.getDatabase();
    server.setDatabase(base + suffix);
    return server;
  }

  private static SwitchboardConfig.Database freshPostgres(Vertx vertx, PgConnectOptions server, String suffix) {
    PgConnectOptions own = own(new PgConnectOptions(server), suffix);
    Pool pool = Pool.pool(vertx, server, new PoolOptions().setMaxSize(1));
    try {
      boolean exists = pool.query("SELECT 1 FROM pg_database WHERE datname = '" + own.getDatabase() + "'").execute().await().size() > 0;
      if (!exists) pool.query("CREATE DATABASE " + own.getDatabase()).execute().await();
    } finally {
      pool.close().await();
    }
    Pool db = Pool.pool(vertx, own, new PoolOptions().setMaxSize(1));
    try {
      db.query("DROP SCHEMA public CASCADE").execute().await();
      db.query("CREATE SCHEMA public").execute().await();
    } finally {
      db.close().await();
    }
    return new SwitchboardConfig.Database("postgres", uri("postgresql", own), 4);
  }

  private static SwitchboardConfig.Database freshMysql(Vertx vertx, MySQLConnectOptions server, String suffix) {
    MySQLConnectOptions own = own(new MySQLConnectOptions(server), suffix);
    Pool pool = Pool.pool(vertx, server, new PoolOptions().setMaxSize(1));
    try {
      pool.query("DROP DATABASE IF EXISTS " + own.getDatabase()).execute().await();
      pool.query("CREATE DATABASE " + own.getDatabase() + " CHARACTER SET utf8mb4").execute().await();
    } finally {
      pool.close().await();
    }
    return new SwitchboardConfig.Database("mysql", uri("mysql", own), 4);
  }

  private static String uri(String scheme, SqlConnectOptions o) {
    String auth = o.getUser() == null ? "" : o.getUser() + (o.getPassword() == null || o.getPassword().isEmpty() ? "" : ":" + o.getPassword()) + "@";
    return scheme + "://" + auth + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  private static SwitchboardConfig.Database skip(String server, String variable) {
    System.err.println();
    System.err.println("*** SKIPPED: " + server + " management suite — set " + variable + " (or run a Docker engine for Testcontainers) ***");
    System.err.println();
    return null;
  }
}
