package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code rotate-master-key} command on a SQLite gateway's files (the database suites are in MasterKeyRotationTest). */
class RotateMasterKeyTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private Path config;
  private SwitchboardConfig.Database database;

  @BeforeEach
  void seed() throws Exception {
    vertx = Vertx.vertx();
    database = new SwitchboardConfig.Database("sqlite", dir.resolve("sb.db").toString(), 2);
    config = dir.resolve("switchboard.yaml");
    Files.writeString(config, "database:\n  type: sqlite\n  url: " + database.url() + "\nsecurity:\n  masterKeyFile: "
        + dir.resolve("master.key") + "\n");
    Store store = Store.open(vertx, database, SecretBox.fromKeyFile(dir.resolve("master.key"))).await();
    try {
      store.syncDeclaredChannels(List.of(new SwitchboardConfig.ChannelConfig("c", "openai", List.of("http://127.0.0.1:9"),
          List.of("sk-upstream-0123456789"), List.of("m"), Map.of(), 0, 1))).await();
    } finally {
      store.close().await();
    }
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private String secretUnder(SecretBox box) {
    Store store = Store.open(vertx, database, box).await();
    try {
      return store.channels().await().get(0).credentials().get(0).secret();
    } finally {
      store.close().await();
    }
  }

  @Test
  void writesAnOwnerOnlyNewKeyFileAndReEncryptsUnderIt() throws Exception {
    Path newKey = dir.resolve("keys/master-2.key");
    int status = RotateMasterKey.run(new String[] {"--config", config.toString(), "--new-key-file", newKey.toString()}, Map.of());

    assertEquals(0, status);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(newKey)));
    assertEquals("sk-upstream-0123456789", secretUnder(SecretBox.fromKeyFile(newKey)));
    assertFalse(SecretBox.fromKeyFile(newKey).sameKeyAs(SecretBox.fromKeyFile(dir.resolve("master.key"))));
  }

  @Test
  void takesTheNewKeyFromAnEnvironmentVariable() {
    byte[] key = new byte[32];
    key[0] = 7;
    String base64 = java.util.Base64.getEncoder().encodeToString(key);
    int status = RotateMasterKey.run(new String[] {"-c", config.toString(), "--new-key-env", "NEXT_KEY"}, Map.of("NEXT_KEY", base64));
    assertEquals(0, status);
    assertEquals("sk-upstream-0123456789", secretUnder(SecretBox.of(key)));
  }

  @Test
  void refusesTheCurrentKeyFileOrNoNewKeyAndChangesNothing() {
    assertEquals(2, RotateMasterKey.run(new String[] {"--config", config.toString(), "--new-key-file",
        dir.resolve("master.key").toString()}, Map.of()));
    assertEquals(2, RotateMasterKey.run(new String[] {"--config", config.toString()}, Map.of()));
    assertEquals(2, RotateMasterKey.run(new String[] {"--config", config.toString(), "--new-key-env", "UNSET"}, Map.of()));
    assertTrue(secretUnder(SecretBox.fromKeyFile(dir.resolve("master.key"))).startsWith("sk-upstream"));
  }
}
