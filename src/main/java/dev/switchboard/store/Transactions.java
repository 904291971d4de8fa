package dev.switchboard.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * Runs work in one transaction on one pooled connection.
 *
 * <p>PostgreSQL and MySQL use {@link Pool#withTransaction}. SQLite does not: in
 * vertx-jdbc-client 5.0.10 a JDBC connection is left with auto-commit off after any
 * {@code withTransaction} (vert-x3/vertx-jdbc-client#356), so every later plain statement on
 * it would run in a transaction that is never committed. On SQLite the connection therefore
 * stays in auto-commit mode and the transaction is bracketed in SQL, with {@code BEGIN
 * IMMEDIATE} so the write lock is taken up front (waiting up to the busy timeout) instead of
 * failing with SQLITE_BUSY on a later read-to-write upgrade.
 */
final class Transactions {

  private Transactions() {}

  static <T> Future<T> run(Pool pool, Dialect dialect, Function<SqlConnection, Future<T>> work) {
    if (dialect != Dialect.SQLITE) {
      return pool.withTransaction(work);
    }
    return pool.withConnection(conn -> conn.query("BEGIN IMMEDIATE").execute()
        .compose(begun -> work.apply(conn).compose(
            result -> conn.query("COMMIT").execute()
                .map(result)
                .recover(err -> rollback(conn, err)),
            err -> rollback(conn, err))));
  }

  /** Rolls back and fails with the original error; a failed rollback is secondary. */
  private static <T> Future<T> rollback(SqlConnection conn, Throwable cause) {
    return conn.query("ROLLBACK").execute().transform(ignored -> Future.failedFuture(cause));
  }
}
