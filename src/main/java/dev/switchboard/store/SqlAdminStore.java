package dev.switchboard.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link AdminStore} over the gateway's pool. Uniqueness is checked inside the writing
 * transaction so a duplicate answers {@link StoreConflict} on every database alike; channel
 * writes are in {@link ChannelWrites}.
 */
final class SqlAdminStore implements AdminStore {

  private static final String USER_COLUMNS = "id, username, password_hash, role, enabled, created_at, updated_at";
  private static final String KEY_COLUMNS = "id, name, key_prefix, models, enabled, source, expires_at, created_at, return_cost";

  private final Pool pool;
  private final Dialect d;
  private final SecretBox secrets;

  SqlAdminStore(Pool pool, Dialect dialect, SecretBox secrets) {
    this.pool = pool;
    this.d = dialect;
    this.secrets = secrets;
  }

  private Future<RowSet<Row>> q(SqlClient client, String portable, Tuple params) {
    return client.preparedQuery(d.sql(portable)).execute(params);
  }

  /**
   * A unique index that refused a row another transaction inserted since the pre-check (the
   * check and the insert are not serialized) is still a duplicate, not a server error.
   */
  private static <T> Future<T> conflictOnUnique(Future<T> write, String field, String message) {
    return write.recover(err -> {
      String text = String.valueOf(err.getMessage()).toLowerCase(java.util.Locale.ROOT);
      boolean unique = text.contains("unique") || text.contains("duplicate");
      return Future.failedFuture(unique && !(err instanceof StoreConflict) ? new StoreConflict(field, message) : err);
    });
  }

  private static <T> T first(RowSet<Row> rows, java.util.function.Function<Row, T> map) {
    return rows.size() == 0 ? null : map.apply(rows.iterator().next());
  }

  // --- users -------------------------------------------------------------------------------

  private static User user(Row r) {
    return new User(r.getLong("id"), r.getString("username"), r.getString("password_hash"), r.getString("role"),
        Dialect.readFlag(r, "enabled"), r.getLong("created_at"), r.getLong("updated_at"));
  }

  @Override
  public Future<Long> countUsers() {
    return pool.query("SELECT COUNT(*) AS n FROM admin_users").execute()
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  @Override
  public Future<List<User>> users() {
    return pool.query("SELECT " + USER_COLUMNS + " FROM admin_users ORDER BY id").execute()
        .map(rows -> { List<User> out = new ArrayList<>(); rows.forEach(r -> out.add(user(r))); return out; });
  }

  @Override
  public Future<User> user(long id) {
    return q(pool, "SELECT " + USER_COLUMNS + " FROM admin_users WHERE id = ?", Tuple.of(id)).map(rows -> first(rows, SqlAdminStore::user));
  }

  @Override
  public Future<User> userByName(String username) {
    return q(pool, "SELECT " + USER_COLUMNS + " FROM admin_users WHERE username = ?", Tuple.of(username))
        .map(rows -> first(rows, SqlAdminStore::user));
  }

  @Override
  public Future<User> createUser(String username, String passwordHash, String role, boolean enabled) {
    long now = System.currentTimeMillis();
    return conflictOnUnique(Transactions.run(pool, d, conn -> q(conn, "SELECT id FROM admin_users WHERE username = ?", Tuple.of(username))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(new StoreConflict("username", "a user with this username exists"))
            : q(conn, "INSERT INTO admin_users (username, password_hash, role, enabled, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", Tuple.of(username, passwordHash, role, d.flagParam(enabled), now, now)))
        .compose(v -> q(conn, "SELECT " + USER_COLUMNS + " FROM admin_users WHERE username = ?", Tuple.of(username)))
        .map(rows -> first(rows, SqlAdminStore::user))), "username", "a user with this username exists");
  }

  @Override
  public Future<User> updateUser(long id, String role, Boolean enabled, String passwordHash) {
    List<String> sets = new ArrayList<>();
    Tuple params = Tuple.tuple();
    if (role != null) { sets.add("role = ?"); params.addValue(role); }
    if (enabled != null) { sets.add("enabled = ?"); params.addValue(d.flagParam(enabled)); }
    if (passwordHash != null) { sets.add("password_hash = ?"); params.addValue(passwordHash); }
    sets.add("updated_at = ?");
    params.addLong(System.currentTimeMillis()).addLong(id);
    return q(pool, "UPDATE admin_users SET " + String.join(", ", sets) + " WHERE id = ?", params)
        .compose(v -> user(id));
  }

  @Override
  public Future<Boolean> deleteUser(long id) {
    // sessions first, explicitly: the schema cascades, but this does not depend on the foreign key setting
    return q(pool, "DELETE FROM admin_sessions WHERE user_id = ?", Tuple.of(id))
        .compose(v -> q(pool, "DELETE FROM admin_users WHERE id = ?", Tuple.of(id)))
        .map(rows -> rows.rowCount() > 0);
  }

  // --- sessions ----------------------------------------------------------------------------

  @Override
  public Future<Void> createSession(String id, long userId, long expiresAt) {
    return q(pool, "INSERT INTO admin_sessions (id, user_id, created_at, expires_at, revoked) VALUES (?, ?, ?, ?, ?)",
        Tuple.of(id, userId, System.currentTimeMillis(), expiresAt, d.flagParam(false))).mapEmpty();
  }

  @Override
  public Future<Session> session(String id) {
    return q(pool, "SELECT s.id AS sid, s.user_id, s.expires_at, s.revoked, u.username, u.role, u.enabled"
        + " FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id WHERE s.id = ?", Tuple.of(id))
        .map(rows -> first(rows, r -> new Session(r.getString("sid"), r.getLong("user_id"), r.getString("username"),
            r.getString("role"), Dialect.readFlag(r, "enabled"), r.getLong("expires_at"), Dialect.readFlag(r, "revoked"))));
  }

  @Override
  public Future<Void> revokeSession(String id) {
    return q(pool, "UPDATE admin_sessions SET revoked = ? WHERE id = ?", Tuple.of(d.flagParam(true), id)).mapEmpty();
  }

  @Override
  public Future<Void> revokeSessions(long userId) {
    return q(pool, "UPDATE admin_sessions SET revoked = ? WHERE user_id = ?", Tuple.of(d.flagParam(true), userId)).mapEmpty();
  }

  // --- client keys -------------------------------------------------------------------------

  private static Key key(Row r) {
    return new Key(r.getLong("id"), r.getString("name"), r.getString("key_prefix"), Columns.decodeList(r.getString("models")),
        Dialect.readFlag(r, "enabled"), r.getString("source"), r.getValue("expires_at") == null ? 0 : r.getLong("expires_at"),
        r.getLong("created_at"), Dialect.readFlag(r, "return_cost"));
  }

  @Override
  public Future<List<Key>> keys() {
    return pool.query("SELECT " + KEY_COLUMNS + " FROM api_keys ORDER BY id").execute()
        .map(rows -> { List<Key> out = new ArrayList<>(); rows.forEach(r -> out.add(key(r))); return out; });
  }

  @Override
  public Future<Key> key(long id) {
    return q(pool, "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = ?", Tuple.of(id)).map(rows -> first(rows, SqlAdminStore::key));
  }

  private Future<Void> keyNameFree(SqlClient conn, String name, long exceptId) {
    return q(conn, "SELECT id FROM api_keys WHERE name = ? AND id <> ?", Tuple.of(name, exceptId))
        .compose(rows -> rows.size() > 0
            ? Future.failedFuture(new StoreConflict("name", "a client key with this name exists"))
            : Future.succeededFuture());
  }

  @Override
  public Future<Key> createKey(String name, String keyHash, String prefix, List<String> models, long expiresAt, boolean enabled,
      boolean returnCost) {
    return Transactions.run(pool, d, conn -> keyNameFree(conn, name, -1)
        .compose(v -> q(conn, "INSERT INTO api_keys (name, key_hash, models, enabled, source, created_at, expires_at, key_prefix,"
            + " return_cost) VALUES (?, ?, ?, ?, 'api', ?, ?, ?, ?)", Tuple.of(name, keyHash, Columns.encodeList(models),
            d.flagParam(enabled), System.currentTimeMillis(), expiresAt > 0 ? expiresAt : null, prefix, d.flagParam(returnCost))))
        .compose(v -> q(conn, "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_hash = ?", Tuple.of(keyHash)))
        .map(rows -> first(rows, SqlAdminStore::key)));
  }

  @Override
  public Future<Key> updateKey(long id, String name, List<String> models, Boolean enabled, long expiresAt, Boolean returnCost) {
    List<String> sets = new ArrayList<>();
    Tuple params = Tuple.tuple();
    if (name != null) { sets.add("name = ?"); params.addValue(name); }
    if (models != null) { sets.add("models = ?"); params.addValue(Columns.encodeList(models)); }
    if (enabled != null) { sets.add("enabled = ?"); params.addValue(d.flagParam(enabled)); }
    if (expiresAt >= 0) { sets.add("expires_at = ?"); params.addValue(expiresAt == 0 ? null : expiresAt); }
    if (returnCost != null) { sets.add("return_cost = ?"); params.addValue(d.flagParam(returnCost)); }
    if (sets.isEmpty()) {
      return key(id);
    }
    params.addLong(id);
    return Transactions.run(pool, d, conn -> (name == null ? Future.<Void>succeededFuture() : keyNameFree(conn, name, id))
        .compose(v -> q(conn, "UPDATE api_keys SET " + String.join(", ", sets) + " WHERE id = ? AND source = 'api'", params)))
        .compose(v -> key(id));
  }

  @Override
  public Future<Key> rotateKey(long id, String keyHash, String prefix) {
    return q(pool, "UPDATE api_keys SET key_hash = ?, key_prefix = ? WHERE id = ? AND source = 'api'", Tuple.of(keyHash, prefix, id))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(null) : key(id));
  }

  @Override
  public Future<Boolean> deleteKey(long id) {
    return q(pool, "DELETE FROM api_keys WHERE id = ? AND source = 'api'", Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  // --- channels ----------------------------------------------------------------------------

  @Override
  public Future<Long> createChannel(ChannelDraft draft) {
    return conflictOnUnique(Transactions.run(pool, d, conn -> new ChannelWrites(conn, d, secrets).create(draft)),
        "name", "a channel with this name exists");
  }

  @Override
  public Future<Boolean> updateChannel(long id, ChannelDraft draft) {
    return conflictOnUnique(Transactions.run(pool, d, conn -> new ChannelWrites(conn, d, secrets).update(id, draft)),
        "name", "a channel with this name exists");
  }

  @Override
  public Future<Boolean> deleteChannel(long id) {
    return Transactions.run(pool, d, conn -> new ChannelWrites(conn, d, secrets).delete(id));
  }

  @Override
  public Future<Boolean> setCredentialQuota(long credentialId, long tokens, long costNanos) {
    return q(pool, "UPDATE credentials SET quota_tokens = ?, cost_quota_nanos = ? WHERE id = ?",
        Tuple.of(tokens < 0 ? null : tokens, costNanos < 0 ? null : costNanos, credentialId)).map(rows -> rows.rowCount() > 0);
  }

  // --- groups and aliases ------------------------------------------------------------------

  /** How one row of a {@link NamedRows} table becomes its record. */
  @FunctionalInterface
  private interface NamedRowReader<T> {
    T read(long id, String name, String value, long createdAt, long updatedAt);
  }

  /**
   * A table of named rows with one text value each: {@code table} has {@code id},
   * {@code nameColumn} (unique), {@code valueColumn}, {@code created_at} and {@code updated_at}.
   * A duplicate name is a {@link StoreConflict} on the field {@code nameColumn} with
   * {@code conflict} as its message.
   */
  private record NamedRows<T>(String table, String nameColumn, String valueColumn, NamedRowReader<T> reader,
      String conflict) {

    String columns() {
      return "id, " + nameColumn + ", " + valueColumn + ", created_at, updated_at";
    }

    T row(Row r) {
      return reader.read(r.getLong("id"), r.getString(nameColumn), r.getString(valueColumn), r.getLong("created_at"),
          r.getLong("updated_at"));
    }
  }

  private static final NamedRows<StoredGroup> GROUPS =
      new NamedRows<>("route_groups", "name", "definition", StoredGroup::new, "a group with this name exists");
  private static final NamedRows<StoredAlias> ALIASES =
      new NamedRows<>("model_aliases", "alias", "model", StoredAlias::new, "this alias exists");

  /** Whether another row of {@code table} than {@code exceptId} has this value in {@code column}. */
  private Future<Void> free(SqlClient conn, String table, String column, String value, long exceptId, String field,
      String message) {
    return q(conn, "SELECT id FROM " + table + " WHERE " + column + " = ? AND id <> ?", Tuple.of(value, exceptId))
        .compose(rows -> rows.size() > 0 ? Future.failedFuture(new StoreConflict(field, message)) : Future.succeededFuture());
  }

  private <T> Future<List<T>> all(NamedRows<T> t) {
    return pool.query("SELECT " + t.columns() + " FROM " + t.table() + " ORDER BY id").execute()
        .map(rows -> { List<T> out = new ArrayList<>(); rows.forEach(r -> out.add(t.row(r))); return out; });
  }

  private <T> Future<T> named(SqlClient conn, NamedRows<T> t, String name) {
    return q(conn, "SELECT " + t.columns() + " FROM " + t.table() + " WHERE " + t.nameColumn() + " = ?", Tuple.of(name))
        .map(rows -> first(rows, t::row));
  }

  private <T> Future<T> create(NamedRows<T> t, String name, String value) {
    long now = System.currentTimeMillis();
    return conflictOnUnique(Transactions.run(pool, d, conn -> free(conn, t.table(), t.nameColumn(), name, -1, t.nameColumn(),
            t.conflict())
        .compose(v -> q(conn, "INSERT INTO " + t.table() + " (" + t.nameColumn() + ", " + t.valueColumn()
            + ", created_at, updated_at) VALUES (?, ?, ?, ?)", Tuple.of(name, value, now, now)))
        .compose(v -> named(conn, t, name))), t.nameColumn(), t.conflict());
  }

  private <T> Future<T> update(NamedRows<T> t, long id, String name, String value) {
    return conflictOnUnique(Transactions.run(pool, d, conn -> free(conn, t.table(), t.nameColumn(), name, id, t.nameColumn(),
            t.conflict())
        // MySQL counts changed rows only: existence is asked, not read from the update's count
        .compose(v -> q(conn, "SELECT id FROM " + t.table() + " WHERE id = ?", Tuple.of(id)))
        .compose(found -> found.size() == 0 ? Future.<T>succeededFuture(null)
            : q(conn, "UPDATE " + t.table() + " SET " + t.nameColumn() + " = ?, " + t.valueColumn() + " = ?, updated_at = ?"
                + " WHERE id = ?", Tuple.of(name, value, System.currentTimeMillis(), id)).compose(rows -> named(conn, t, name)))),
        t.nameColumn(), t.conflict());
  }

  private Future<Boolean> delete(NamedRows<?> t, long id) {
    return q(pool, "DELETE FROM " + t.table() + " WHERE id = ?", Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<List<StoredGroup>> groups() {
    return all(GROUPS);
  }

  @Override
  public Future<StoredGroup> createGroup(String name, String definition) {
    return create(GROUPS, name, definition);
  }

  @Override
  public Future<StoredGroup> updateGroup(long id, String name, String definition) {
    return update(GROUPS, id, name, definition);
  }

  @Override
  public Future<Boolean> deleteGroup(long id) {
    return delete(GROUPS, id);
  }

  @Override
  public Future<List<StoredAlias>> aliases() {
    return all(ALIASES);
  }

  @Override
  public Future<StoredAlias> createAlias(String alias, String model) {
    return create(ALIASES, alias, model);
  }

  @Override
  public Future<StoredAlias> updateAlias(long id, String alias, String model) {
    return update(ALIASES, id, alias, model);
  }

  @Override
  public Future<Boolean> deleteAlias(long id) {
    return delete(ALIASES, id);
  }

  // --- settings and audit ------------------------------------------------------------------

  @Override
  public Future<Map<String, String>> settings() {
    return pool.query("SELECT name, value FROM settings ORDER BY name").execute().map(rows -> {
      Map<String, String> out = new LinkedHashMap<>();
      rows.forEach(r -> out.put(r.getString("name"), r.getString("value")));
      return out;
    });
  }

  @Override
  public Future<Boolean> deleteSetting(String name) {
    return q(pool, "DELETE FROM settings WHERE name = ?", Tuple.of(name)).map(rows -> rows.rowCount() > 0);
  }

  @Override
  public Future<Void> audit(long ts, String actor, String action, String target, String remote, String details) {
    return q(pool, "INSERT INTO audit_log (ts, actor, action, target, remote, details) VALUES (?, ?, ?, ?, ?, ?)",
        Tuple.of(ts, actor, action, target, remote, details)).mapEmpty();
  }

  @Override
  public Future<Page<AuditEntry>> auditLog(int limit, int offset, String actor, String action) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    if (actor != null) { where.add("actor = ?"); params.addValue(actor); }
    if (action != null) { where.add("action = ?"); params.addValue(action); }
    String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    Tuple pageParams = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) pageParams.addValue(params.getValue(i));
    pageParams.addInteger(limit).addInteger(offset);
    return q(pool, "SELECT COUNT(*) AS n FROM audit_log" + filter, params).compose(count ->
        q(pool, "SELECT id, ts, actor, action, target, remote, details FROM audit_log" + filter
            + " ORDER BY id DESC LIMIT ? OFFSET ?", pageParams).map(rows -> {
          List<AuditEntry> out = new ArrayList<>();
          rows.forEach(r -> out.add(new AuditEntry(r.getLong("id"), r.getLong("ts"), r.getString("actor"), r.getString("action"),
              r.getString("target"), r.getString("remote"), r.getString("details"))));
          return new Page<>(out, count.iterator().next().getLong("n"));
        }));
  }
}
