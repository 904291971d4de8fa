package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;

/**
 * A database of this suite's own on the shared PostgreSQL / MySQL server (created on first use,
 * emptied before each test), so these tests never drop tables another suite is using.
 */
final class AdminTestDatabases {

  static final String NAME = "switchboard_admin_it";

  private AdminTestDatabases() {}

  /** A fresh, empty database on the PostgreSQL server, or null (loudly) when none is configured. */
  static SwitchboardConfig.Database postgres(Vertx vertx) {
    return postgres(vertx, NAME);
  }

  /** The same, in a database named {@code name} (a suite of its own, never emptied by another one). */
  static SwitchboardConfig.Database postgres(Vertx vertx, String name) {
    String url = TestServers.postgresUrl();
    if (url == null) return skip("PostgreSQL", "SWITCHBOARD_TEST_PG_URL");
    PgConnectOptions server = PgConnectOptions.fromUri(url);
    Pool pool = Pool.pool(vertx, server, new PoolOptions().setMaxSize(1));
    try {
      boolean exists = pool.query("SELECT 1 FROM pg_database WHERE datname = '" + name + "'").execute().await().size() > 0;
      if (!exists) pool.query("CREATE DATABASE " + name).execute().await();
    } finally {
      pool.close().await();
    }
    PgConnectOptions own = new PgConnectOptions(server).setDatabase(name);
    Pool db = Pool.pool(vertx, own, new PoolOptions().setMaxSize(1));
    try {
      db.query("DROP SCHEMA public CASCADE").execute().await();
      db.query("CREATE SCHEMA public").execute().await();
    } finally {
      db.close().await();
    }
    return new SwitchboardConfig.Database("postgres", uri("postgresql", own), 4);
  }

  /** The same on the MySQL / MariaDB server. */
  static SwitchboardConfig.Database mysql(Vertx vertx) {
    return mysql(vertx, NAME);
  }

  static SwitchboardConfig.Database mysql(Vertx vertx, String name) {
    String url = TestServers.mysqlUrl();
    if (url == null) return skip("MySQL/MariaDB", "SWITCHBOARD_TEST_MYSQL_URL");
    MySQLConnectOptions server = MySQLConnectOptions.fromUri(url);
    Pool pool = Pool.pool(vertx, server, new PoolOptions().setMaxSize(1));
    try {
      pool.query("DROP DATABASE IF EXISTS " + name).execute().await();
      pool.query("CREATE DATABASE " + name + " CHARACTER SET utf8mb4").execute().await();
    } finally {
      pool.close().await();
    }
    return new SwitchboardConfig.Database("mysql", uri("mysql", new MySQLConnectOptions(server).setDatabase(name)), 4);
  }

  private static String uri(String scheme, SqlConnectOptions o) {
    String auth = o.getUser() == null ? "" : o.getUser() + (o.getPassword() == null || o.getPassword().isEmpty() ? "" : ":" + o.getPassword()) + "@";
    return scheme + "://" + auth + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  private static SwitchboardConfig.Database skip(String server, String variable) {
    System.err.println();
    System.err.println("*** SKIPPED: " + server + " admin store suite — set " + variable + " (or run a Docker engine for Testcontainers) ***");
    System.err.println();
    return null;
  }
}
