package dev.switchboard.store;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** Test-only helpers for the suites that run against a shared PostgreSQL or MySQL server. */
final class TestDatabases {

  /** Child tables first, so foreign keys never block a drop. */
  private static final List<String> TABLES = List.of(
      "admin_sessions", "admin_users", "audit_log", "channel_spend", "credential_spend", "credentials", "channels", "api_keys", "usage_records", "usage_hourly",
      "prices", "settings", "route_groups", "model_aliases",
      "schema_version");

  private TestDatabases() {}

  /**
   * The skip notice for a suite whose server URL is not set, printed once to stderr as a
   * banner; {@code null} when the URL is set and the suite runs.
   */
  static String skipNotice(String url, String suite, String variable) {
    if (url != null && !url.isBlank()) {
      return null;
    }
    String notice = "*** SKIPPED: " + suite + " store suite — set " + variable + " (or run a Docker engine for Testcontainers) ***";
    System.err.println();
    System.err.println(notice);
    System.err.println();
    return notice;
  }

  /** Drops every Switchboard table so the next open starts from an empty schema. */
  static void dropAll(Vertx vertx, SwitchboardConfig.Database config) {
    Pool pool = Pools.create(vertx, config).await();
    try {
      for (String table : TABLES) {
        pool.query("DROP TABLE IF EXISTS " + table).execute().await();
      }
    } finally {
      pool.close().await();
    }
  }
}
