package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.SwitchboardConfig.ApiKeyConfig;
import dev.switchboard.config.SwitchboardConfig.ChannelConfig;
import dev.switchboard.store.AdminStore;
import dev.switchboard.store.AdminStore.ChannelDraft;
import dev.switchboard.store.Channel;
import dev.switchboard.store.ClientKey;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import dev.switchboard.store.StoreConflict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the management store must do on every database. Subclasses pick the database. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
abstract class AdminStoreContractTest {

  static final String HOSTILE = "x'; DROP TABLE admin_users; -- \"名前\" 🚀";

  private static final byte[] KEY = new byte[32];

  static {
    Arrays.fill(KEY, (byte) 7);
  }

  private Store store;
  private AdminStore admin;

  /** The database, or null when its server is not configured here (the suite is skipped). */
  protected abstract SwitchboardConfig.Database database(Vertx vertx);

  @BeforeEach
  void open(Vertx vertx) {
    SwitchboardConfig.Database db = database(vertx);
    assumeTrue(db != null, "database not configured for " + getClass().getSimpleName());
    store = Store.open(vertx, db, SecretBox.of(KEY)).await();
    admin = store.admin();
  }

  @AfterEach
  void close() {
    if (store != null) store.close().await();
  }

  private static <T> Throwable failure(Future<T> f) {
    try {
      f.await();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void usersAndSessions() {
    AdminStore.User u = admin.createUser(HOSTILE.replace(" ", ""), "hash1", "operator", true).await();
    assertEquals(HOSTILE.replace(" ", ""), admin.user(u.id()).await().username());
    assertEquals(1, admin.countUsers().await());
    StoreConflict dup = (StoreConflict) failure(admin.createUser(u.username(), "h", "viewer", true));
    assertEquals("username", dup.field());

    AdminStore.User changed = admin.updateUser(u.id(), "viewer", false, null).await();
    assertEquals("viewer", changed.role());
    assertFalse(changed.enabled());
    assertEquals("hash1", changed.passwordHash(), "null leaves a field alone");
    assertNull(admin.updateUser(999_999, "admin", null, null).await());

    admin.createSession("s1", u.id(), System.currentTimeMillis() + 60_000).await();
    admin.createSession("s2", u.id(), System.currentTimeMillis() + 60_000).await();
    AdminStore.Session s = admin.session("s1").await();
    assertEquals("viewer", s.role());
    assertFalse(s.userEnabled());
    assertFalse(s.revoked());
    admin.revokeSession("s1").await();
    assertTrue(admin.session("s1").await().revoked());
    assertFalse(admin.session("s2").await().revoked());
    admin.revokeSessions(u.id()).await();
    assertTrue(admin.session("s2").await().revoked());
    assertNull(admin.session("nope").await());

    assertTrue(admin.deleteUser(u.id()).await());
    assertNull(admin.session("s2").await(), "sessions go with their user");
    assertFalse(admin.deleteUser(u.id()).await());
  }

  @Test
  void clientKeysWithExpiryRotationAndReadOnlyDeclaredOnes() {
    store.syncDeclaredKeys(List.of(new ApiKeyConfig("declared", "declared-key-0123456789", null, List.of()))).await();
    AdminStore.Key k = admin.createKey(HOSTILE, "a".repeat(64), "sk-sb-aaaa", List.of("m1", HOSTILE), 0, true).await();
    assertEquals(HOSTILE, k.name());
    assertEquals(List.of("m1", HOSTILE), k.models());
    assertEquals("api", k.source());
    assertEquals(0, k.expiresAt());
    assertEquals("name", ((StoreConflict) failure(admin.createKey(HOSTILE, "b".repeat(64), "p", List.of(), 0, true))).field());
    assertEquals("name", ((StoreConflict) failure(admin.createKey("declared", "b".repeat(64), "p", List.of(), 0, true))).field());

    long expiry = System.currentTimeMillis() + 3_600_000;
    AdminStore.Key updated = admin.updateKey(k.id(), null, null, null, expiry).await();
    assertEquals(expiry, updated.expiresAt());
    assertEquals(HOSTILE, updated.name());
    ClientKey seen = store.clientKeys().await().stream().filter(c -> c.id() == k.id()).findFirst().orElseThrow();
    assertEquals(expiry, seen.expiresAtMs());
    assertFalse(seen.expiredAt(expiry - 1));
    assertTrue(seen.expiredAt(expiry));
    assertEquals(0, admin.updateKey(k.id(), null, null, false, 0).await().expiresAt(), "0 clears the expiry");

    AdminStore.Key rotated = admin.rotateKey(k.id(), "c".repeat(64), "sk-sb-cccc").await();
    assertEquals("sk-sb-cccc", rotated.prefix());
    assertTrue(store.clientKeys().await().stream().anyMatch(c -> c.keyHash().equals("c".repeat(64))));
    assertFalse(store.clientKeys().await().stream().anyMatch(c -> c.keyHash().equals("a".repeat(64))));

    AdminStore.Key declared = admin.keys().await().stream().filter(x -> x.source().equals("config")).findFirst().orElseThrow();
    assertNull(admin.rotateKey(declared.id(), "d".repeat(64), "x").await());
    assertFalse(admin.deleteKey(declared.id()).await());
    assertTrue(admin.updateKey(declared.id(), null, null, false, -1).await().enabled(), "a declared key is not changed");
    assertTrue(admin.deleteKey(k.id()).await());
    assertNull(admin.key(k.id()).await());
  }

  @Test
  void runTimeChannelsKeepEncryptedCredentialsAndLeaveDeclaredOnesAlone() {
    store.syncDeclaredChannels(List.of(new ChannelConfig("declared", "openai", List.of("http://a/v1"), List.of("k0"),
        List.of("d"), Map.of(), 0, 1))).await();
    long id = admin.createChannel(new ChannelDraft(HOSTILE, "openai", List.of("http://b/v1"), List.of("m", HOSTILE),
        Map.of("alias", "m"), 3, 2, true, List.of("secret-one", "secret-two"))).await();
    Channel c = channel(id);
    assertEquals(HOSTILE, c.name());
    assertEquals("api", c.source());
    assertEquals(List.of("secret-one", "secret-two"), c.credentials().stream().map(x -> x.secret()).toList());
    long keptId = c.credentials().get(1).id();

    assertTrue(admin.updateChannel(id, new ChannelDraft("renamed", "openai", List.of("http://c/v1"), List.of("m"), Map.of(), 1, 1,
        false, List.of("secret-two", "secret-three"))).await());
    Channel after = channel(id);
    assertEquals("renamed", after.name());
    assertFalse(after.enabled());
    assertEquals(List.of("secret-two", "secret-three"), after.credentials().stream().map(x -> x.secret()).toList());
    assertEquals(keptId, after.credentials().get(0).id(), "a kept secret keeps its credential id");
    assertTrue(admin.updateChannel(id, new ChannelDraft("renamed", "openai", List.of("http://c/v1"), List.of("m"), Map.of(), 1, 1,
        true, null)).await());
    assertEquals(2, channel(id).credentials().size(), "null keys keep the credentials");

    assertEquals("name", ((StoreConflict) failure(admin.createChannel(new ChannelDraft("declared", "openai", List.of("http://x/v1"),
        List.of("m"), Map.of(), 0, 1, true, List.of())))).field());
    long declaredId = store.channels().await().stream().filter(x -> x.name().equals("declared")).findFirst().orElseThrow().id();
    assertFalse(admin.updateChannel(declaredId, new ChannelDraft("declared", "openai", List.of("http://x/v1"), List.of("m"), Map.of(),
        0, 1, true, List.of())).await());
    assertFalse(admin.deleteChannel(declaredId).await());
    assertEquals(List.of("k0"), channel(declaredId).credentials().stream().map(x -> x.secret()).toList());
    assertTrue(admin.deleteChannel(id).await());
    assertEquals(1, store.channels().await().size());
  }

  @Test
  void concurrentCreatesOfOneNameSucceedOnceAndOtherwiseConflict() {
    List<Future<Long>> channels = new java.util.ArrayList<>();
    List<Future<AdminStore.User>> users = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      channels.add(admin.createChannel(new ChannelDraft("race", "openai", List.of("http://r/v1"), List.of("m"), Map.of(), 0, 1, true,
          List.of("k" + i))));
      users.add(admin.createUser("racer", "h", "viewer", true));
    }
    assertEquals(1, successes(channels));
    assertEquals(1, successes(users));
  }

  /** How many succeeded; any failure other than a conflict fails the test. */
  private static int successes(List<? extends Future<?>> writes) {
    int ok = 0;
    for (Future<?> f : writes) {
      try {
        f.await();
        ok++;
      } catch (StoreConflict expected) {
        // the others
      }
    }
    return ok;
  }

  private Channel channel(long id) {
    return store.channels().await().stream().filter(c -> c.id() == id).findFirst().orElseThrow();
  }

  @Test
  void settingsAndTheAuditLog() {
    store.putSetting("b", HOSTILE).await();
    store.putSetting("a", "1").await();
    assertEquals(List.of("a", "b"), List.copyOf(admin.settings().await().keySet()));
    assertEquals(HOSTILE, admin.settings().await().get("b"));
    assertTrue(admin.deleteSetting("a").await());
    assertFalse(admin.deleteSetting("a").await());

    for (int i = 0; i < 5; i++) {
      admin.audit(1000 + i, i % 2 == 0 ? "alice" : HOSTILE, "thing." + i, "t:" + i, "127.0.0.1", i == 0 ? null : "{\"n\":" + i + "}").await();
    }
    AdminStore.Page<AdminStore.AuditEntry> all = admin.auditLog(2, 1, null, null).await();
    assertEquals(5, all.total());
    assertEquals(List.of("thing.3", "thing.2"), all.items().stream().map(AdminStore.AuditEntry::action).toList());
    AdminStore.Page<AdminStore.AuditEntry> hostile = admin.auditLog(10, 0, HOSTILE, null).await();
    assertEquals(2, hostile.total());
    assertEquals(1, admin.auditLog(10, 0, "alice", "thing.4").await().total());
    assertEquals(0, admin.auditLog(10, 0, "' OR '1'='1", null).await().total());
  }

  @Test
  void groupsAndAliases() {
    AdminStore.StoredGroup g = admin.createGroup(HOSTILE, "{\"aliases\":[\"a\"],\"tiers\":[]}").await();
    assertEquals(HOSTILE, g.name());
    assertTrue(g.createdAt() > 0);
    assertEquals(List.of(g), admin.groups().await());
    StoreConflict dup = (StoreConflict) failure(admin.createGroup(HOSTILE, "{}"));
    assertEquals("name", dup.field());
    AdminStore.StoredGroup other = admin.createGroup("other", "{}").await();
    assertEquals("name", ((StoreConflict) failure(admin.updateGroup(other.id(), HOSTILE, "{}"))).field());
    AdminStore.StoredGroup renamed = admin.updateGroup(g.id(), "renamed", "{\"tiers\":[1]}").await();
    assertEquals("renamed", renamed.name());
    assertEquals("{\"tiers\":[1]}", renamed.definition());
    assertEquals(renamed.id(), admin.updateGroup(g.id(), "renamed", "{\"tiers\":[1]}").await().id(), "an unchanged update finds its row");
    assertNull(admin.updateGroup(999_999, "x", "{}").await());
    assertTrue(admin.deleteGroup(g.id()).await());
    assertFalse(admin.deleteGroup(g.id()).await());
    assertEquals(List.of("other"), admin.groups().await().stream().map(AdminStore.StoredGroup::name).toList());

    AdminStore.StoredAlias a = admin.createAlias(HOSTILE, "target").await();
    assertEquals("target", admin.aliases().await().get(0).model());
    assertEquals("alias", ((StoreConflict) failure(admin.createAlias(HOSTILE, "t2"))).field());
    AdminStore.StoredAlias moved = admin.updateAlias(a.id(), HOSTILE, "t3").await();
    assertEquals("t3", moved.model());
    assertNull(admin.updateAlias(999_999, "x", "y").await());
    AdminStore.StoredAlias b = admin.createAlias("b", "t").await();
    assertEquals("alias", ((StoreConflict) failure(admin.updateAlias(b.id(), HOSTILE, "t"))).field());
    assertTrue(admin.deleteAlias(a.id()).await());
    assertEquals(List.of("b"), admin.aliases().await().stream().map(AdminStore.StoredAlias::alias).toList());
  }
}
