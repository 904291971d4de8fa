package dev.switchboard.admin;

/**
 * The database a management suite's gateway keeps its data in. SQLite always runs; the server
 * ones run when their URL is set (or a Docker engine answers) and are skipped loudly otherwise.
 */
enum AdminDb {
  SQLITE, POSTGRES, MARIADB
}
