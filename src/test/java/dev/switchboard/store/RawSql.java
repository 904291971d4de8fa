package dev.switchboard.store;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/** Direct SQL for tests that inspect what the store wrote; blocks the (JUnit) calling thread. */
final class RawSql {

  private final Pool pool;
  private final Dialect dialect;

  RawSql(Pool pool, Dialect dialect) {
    this.pool = pool;
    this.dialect = dialect;
  }

  Pool pool() {
    return pool;
  }

  Dialect dialect() {
    return dialect;
  }

  RowSet<Row> query(String portableSql, Object... params) {
    return pool.preparedQuery(dialect.sql(portableSql)).execute(Tuple.from(params)).await();
  }

  long count(String portableSql, Object... params) {
    return query(portableSql, params).iterator().next().getLong(0);
  }

  void close() {
    pool.close().await();
  }
}
