package dev.switchboard.testing;

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
