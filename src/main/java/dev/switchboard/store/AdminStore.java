package dev.switchboard.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * What the management API persists: its users and login sessions, channels and client keys
 * created at run time ({@code source = 'api'}), settings and the audit log. A write that would
 * duplicate a unique name fails with {@link StoreConflict}; one naming a missing row completes
 * with {@code null} or {@code false}.
 */
public interface AdminStore {

  /** A management user; the BCrypt hash never leaves the admin package's login code. */
  record User(long id, String username, String passwordHash, String role, boolean enabled, long createdAt, long updatedAt) {
    @Override
    public String toString() {
      return "User[id=" + id + ", username=" + username + ", role=" + role + ", enabled=" + enabled + "]";
    }
  }

  /** A login session (one refresh token) joined with its user's current state. */
  record Session(String id, long userId, String username, String role, boolean userEnabled, long expiresAt, boolean revoked) {}

  /** A client key as the API lists it: never the key or its hash, only the prefix shown at creation. */
  record Key(long id, String name, String prefix, List<String> models, boolean enabled, String source, long expiresAt, long createdAt,
      boolean returnCost) {}

  /**
   * A channel to create or replace; {@code keys} null keeps the stored credentials. {@code quota}
   * (tokens) and {@code costQuotaNanos}: -1 = none. {@code keyQuotas}: the quotas given with
   * some of the keys (by secret); a key without an entry keeps what its credential had (none
   * when new).
   */
  record ChannelDraft(String name, String type, List<String> baseUrls, List<String> models, Map<String, String> modelMap,
      int priority, int weight, boolean enabled, List<String> keys, long quota, long costQuotaNanos,
      Map<String, KeyQuota> keyQuotas) {

    /** Without quotas. */
    public ChannelDraft(String name, String type, List<String> baseUrls, List<String> models, Map<String, String> modelMap,
        int priority, int weight, boolean enabled, List<String> keys) {
      this(name, type, baseUrls, models, modelMap, priority, weight, enabled, keys, -1, -1, Map.of());
    }

    /** Without quotas on keys. */
    public ChannelDraft(String name, String type, List<String> baseUrls, List<String> models, Map<String, String> modelMap,
        int priority, int weight, boolean enabled, List<String> keys, long quota, long costQuotaNanos) {
      this(name, type, baseUrls, models, modelMap, priority, weight, enabled, keys, quota, costQuotaNanos, Map.of());
    }
  }

  /** A credential's own quotas given with its key: tokens and nanos, -1 = none. */
  record KeyQuota(long tokens, long costNanos) {}

  /** One recorded change. {@code details} is JSON text without secrets. */
  record AuditEntry(long id, long ts, String actor, String action, String target, String remote, String details) {}

  /** A group created over the API; {@code definition} is its aliases and tiers as JSON text. */
  record StoredGroup(long id, String name, String definition, long createdAt, long updatedAt) {}

  /** A model alias created over the API: requests for {@code alias} are routed as {@code model}. */
  record StoredAlias(long id, String alias, String model, long createdAt, long updatedAt) {}

  /** One page of rows and how many match in all. */
  record Page<T>(List<T> items, long total) {}

  Future<Long> countUsers();

  Future<List<User>> users();

  Future<User> user(long id);

  Future<User> userByName(String username);

  Future<User> createUser(String username, String passwordHash, String role, boolean enabled);

  /** Changes what is not null; returns the updated user or null when absent. */
  Future<User> updateUser(long id, String role, Boolean enabled, String passwordHash);

  Future<Boolean> deleteUser(long id);

  Future<Void> createSession(String id, long userId, long expiresAt);

  Future<Session> session(String id);

  Future<Void> revokeSession(String id);

  /** Revokes every session of the user (password change, disable). */
  Future<Void> revokeSessions(long userId);

  Future<List<Key>> keys();

  Future<Key> key(long id);

  /** {@code returnCost}: whether answers to the key carry their cost. */
  Future<Key> createKey(String name, String keyHash, String prefix, List<String> models, long expiresAt, boolean enabled,
      boolean returnCost);

  default Future<Key> createKey(String name, String keyHash, String prefix, List<String> models, long expiresAt, boolean enabled) {
    return createKey(name, keyHash, prefix, models, expiresAt, enabled, false);
  }

  /** Changes what is not null; {@code expiresAt} 0 clears the expiry, negative leaves it. */
  Future<Key> updateKey(long id, String name, List<String> models, Boolean enabled, long expiresAt, Boolean returnCost);

  default Future<Key> updateKey(long id, String name, List<String> models, Boolean enabled, long expiresAt) {
    return updateKey(id, name, models, enabled, expiresAt, null);
  }

  /** Replaces the hash (rotation); the old key stops working at the next snapshot. */
  Future<Key> rotateKey(long id, String keyHash, String prefix);

  Future<Boolean> deleteKey(long id);

  /** Inserts a run-time channel with its credentials; returns its id. */
  Future<Long> createChannel(ChannelDraft draft);

  /** Replaces a run-time channel's fields (and credentials when given); false when absent. */
  Future<Boolean> updateChannel(long id, ChannelDraft draft);

  Future<Boolean> deleteChannel(long id);

  /** Sets a credential's own quotas (tokens, nanos; -1 = none), of any channel; false when absent. */
  Future<Boolean> setCredentialQuota(long credentialId, long tokens, long costNanos);

  /** Every group created over the API, by id. */
  Future<List<StoredGroup>> groups();

  Future<StoredGroup> createGroup(String name, String definition);

  /** Replaces name and definition; null when absent. */
  Future<StoredGroup> updateGroup(long id, String name, String definition);

  Future<Boolean> deleteGroup(long id);

  /** Every alias created over the API, by id. */
  Future<List<StoredAlias>> aliases();

  Future<StoredAlias> createAlias(String alias, String model);

  /** Replaces alias and target; null when absent. */
  Future<StoredAlias> updateAlias(long id, String alias, String model);

  Future<Boolean> deleteAlias(long id);

  /** Every setting, by name. */
  Future<Map<String, String>> settings();

  Future<Boolean> deleteSetting(String name);

  Future<Void> audit(long ts, String actor, String action, String target, String remote, String details);

  /** Newest first; {@code actor} and {@code action} filter when not null. */
  Future<Page<AuditEntry>> auditLog(int limit, int offset, String actor, String action);
}
