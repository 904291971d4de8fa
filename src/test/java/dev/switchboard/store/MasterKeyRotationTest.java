package dev.switchboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.testing.TestServers;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Master-key rotation on SQLite, PostgreSQL and MariaDB (the server suites are skipped loudly
 * without their URL): afterwards every secret opens with the new key and none with the old; a
 * failure midway leaves every secret as it was.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MasterKeyRotationTest {

  private static final List<String> UPSTREAM_KEYS = List.of("sk-up-first-0123456789", "sk-up-second-0123456789", "sk-up-3");
  private static final String JWT = "internal.jwt.hs256";

  @TempDir
  Path dir;

  private Vertx vertx;
  private final SecretBox old = box();
  private final SecretBox next = box();

  private static SecretBox box() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return SecretBox.of(key);
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** A database with three upstream keys and a sealed internal setting under {@link #old}. */
  private SwitchboardConfig.Database seeded(String type) {
    SwitchboardConfig.Database db = switch (type) {
      case "sqlite" -> new SwitchboardConfig.Database("sqlite", dir.resolve("rotate.db").toString(), 2);
      case "postgres" -> server("postgres", TestServers.postgresUrl(), "PostgreSQL", "SWITCHBOARD_TEST_PG_URL");
      default -> server("mysql", TestServers.mysqlUrl(), "MySQL/MariaDB", "SWITCHBOARD_TEST_MYSQL_URL");
    };
    if (!type.equals("sqlite")) TestDatabases.dropAll(vertx, db);
    Store store = Store.open(vertx, db, old).await();
    try {
      store.syncDeclaredChannels(List.of(new SwitchboardConfig.ChannelConfig("rotated", "openai", List.of("http://127.0.0.1:9"),
          UPSTREAM_KEYS, List.of("m"), Map.of(), 0, 1))).await();
      store.putSetting(JWT, old.encrypt("the jwt signing secret")).await();
      store.putSetting("operator.note", "v1:looks sealed but is the operator's text").await();
    } finally {
      store.close().await();
    }
    return db;
  }

  private static SwitchboardConfig.Database server(String type, String url, String name, String variable) {
    if (TestDatabases.skipNotice(url, name + " master key rotation", variable) != null) {
      assumeTrue(false, "no " + name + " server");
    }
    return new SwitchboardConfig.Database(type, url, 2);
  }

  private List<String> secrets(SwitchboardConfig.Database db, SecretBox box) {
    Store store = Store.open(vertx, db, box).await();
    try {
      List<String> out = new java.util.ArrayList<>(store.channels().await().stream()
          .flatMap(c -> c.credentials().stream()).map(Credential::secret).sorted().toList());
      out.add(box.decrypt(store.setting(JWT).await()));
      return out;
    } finally {
      store.close().await();
    }
  }

  private static List<String> expected() {
    List<String> out = new java.util.ArrayList<>(UPSTREAM_KEYS.stream().sorted().toList());
    out.add("the jwt signing secret");
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "mysql"})
  void afterRotationEverySecretOpensWithTheNewKeyAndNoneWithTheOld(String type) {
    SwitchboardConfig.Database db = seeded(type);
    MasterKeyRotation.Result result = MasterKeyRotation.rotate(vertx, db, old, next).await();

    assertEquals(new MasterKeyRotation.Result(3, 1), result);
    assertEquals(expected(), secrets(db, next));
    assertThrows(RuntimeException.class, () -> secrets(db, old), "the old key opens nothing any more");
    Store store = Store.open(vertx, db, next).await();
    try {
      assertEquals("v1:looks sealed but is the operator's text", store.setting("operator.note").await(),
          "settings of the operator are not secrets and are left alone");
    } finally {
      store.close().await();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "mysql"})
  void aFailureMidwayLeavesEverySecretUnderTheOldKey(String type) {
    SwitchboardConfig.Database db = seeded(type);
    Exception failed = assertThrows(Exception.class, () -> MasterKeyRotation.rotate(vertx, db, old, next, count -> {
      if (count == 2) throw new IllegalStateException("the database went away");
    }).await());
    assertTrue(failed.getMessage().contains("went away"), failed.getMessage());

    assertEquals(expected(), secrets(db, old), "every secret still opens with the old key");
    assertThrows(RuntimeException.class, () -> secrets(db, next));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres", "mysql"})
  void aSecretTheCurrentKeyCannotOpenStopsTheRotationBeforeAnyWrite(String type) {
    SwitchboardConfig.Database db = seeded(type);
    SecretBox wrong = box();
    Exception failed = assertThrows(Exception.class, () -> MasterKeyRotation.rotate(vertx, db, wrong, next).await());
    assertTrue(failed.getMessage().contains("cannot be opened with the current master key"), failed.getMessage());
    assertFalse(failed.getMessage().contains("sk-up"), "no secret in the message");
    assertEquals(expected(), secrets(db, old));
  }
}
