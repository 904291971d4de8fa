package dev.switchboard.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MariaDBContainer;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * Where the database suites find their servers: the URL in the environment when set (CI and
 * this machine), otherwise a Testcontainers container when a Docker engine answers (a laptop),
 * otherwise nothing, and the suite is skipped loudly.
 */
public final class TestServers {

  private static String postgres;
  private static String mariadb;
  private static String redis;
  private static Boolean docker;

  private TestServers() {}

  /** {@code postgresql://...} or null. */
  public static synchronized String postgresUrl() {
    String env = System.getenv("SWITCHBOARD_TEST_PG_URL");
    if (env != null && !env.isBlank()) return env;
    if (postgres == null && dockerAvailable()) {
      PostgreSQLContainer<?> c = new PostgreSQLContainer<>("postgres:16-alpine").withCommand("postgres", "-c", "fsync=off");
      c.start();
      postgres = "postgresql://" + c.getUsername() + ":" + c.getPassword() + "@" + c.getHost() + ":"
          + c.getFirstMappedPort() + "/" + c.getDatabaseName();
    }
    return postgres;
  }

  /** {@code mysql://...} or null. */
  public static synchronized String mysqlUrl() {
    String env = System.getenv("SWITCHBOARD_TEST_MYSQL_URL");
    if (env != null && !env.isBlank()) return env;
    if (mariadb == null && dockerAvailable()) {
      MariaDBContainer<?> c = new MariaDBContainer<>("mariadb:11");
      c.start();
      mariadb = "mysql://" + c.getUsername() + ":" + c.getPassword() + "@" + c.getHost() + ":"
          + c.getFirstMappedPort() + "/" + c.getDatabaseName();
    }
    return mariadb;
  }

  /** {@code redis://host:port} or null ({@code SWITCHBOARD_TEST_REDIS_URL}, else a container). */
  public static synchronized String redisUrl() {
    String env = System.getenv("SWITCHBOARD_TEST_REDIS_URL");
    if (env != null && !env.isBlank()) return env;
    if (redis == null && dockerAvailable()) {
      GenericContainer<?> c = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      c.start();
      redis = "redis://" + c.getHost() + ":" + c.getFirstMappedPort();
    }
    return redis;
  }

  /**
   * The server's PostgreSQL database with its {@code public} schema emptied, as a gateway's
   * {@code database} section ({@link TestGateway.Builder#database(JsonObject)}); the test is
   * skipped without a server.
   */
  public static JsonObject emptiedPostgres(Vertx vertx) {
    String url = postgresUrl();
    Assumptions.assumeTrue(url != null, "no PostgreSQL (SWITCHBOARD_TEST_PG_URL)");
    run(vertx, PgConnectOptions.fromUri(url), "DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
    return new JsonObject().put("type", "postgres").put("url", url).put("poolSize", 4);
  }

  /** The same for MySQL/MariaDB: the URL's database dropped and made anew. */
  public static JsonObject emptiedMysql(Vertx vertx) {
    String url = mysqlUrl();
    Assumptions.assumeTrue(url != null, "no MySQL/MariaDB (SWITCHBOARD_TEST_MYSQL_URL)");
    MySQLConnectOptions options = MySQLConnectOptions.fromUri(url);
    String name = options.getDatabase();
    run(vertx, options, "DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
    return new JsonObject().put("type", "mysql").put("url", url).put("poolSize", 4);
  }

  private static void run(Vertx vertx, SqlConnectOptions server, String... statements) {
    Pool db = Pool.pool(vertx, server, new PoolOptions().setMaxSize(1));
    try {
      for (String sql : statements) db.query(sql).execute().await();
    } finally {
      db.close().await();
    }
  }

  private static boolean dockerAvailable() {
    if (docker == null) {
      boolean available;
      try {
        available = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        available = false;
      }
      docker = available;
    }
    return docker;
  }
}
