package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.AdminStore;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import dev.switchboard.testing.TestGateway;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The first start's admin user and the signing keys. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class AdminBootstrapTest {

  @TempDir
  Path dir;

  private Store open(Vertx vertx) {
    return Store.open(vertx, new SwitchboardConfig.Database("sqlite", dir.resolve("db").toString(), 1), SecretBox.of(new byte[32])).await();
  }

  @Test
  void theFirstStartCreatesAdminWithTheConfiguredPasswordAndLaterStartsDoNot(Vertx vertx) {
    Store store = open(vertx);
    try {
      Passwords passwords = new Passwords(vertx, 4);
      AdminBootstrap.ensureAdmin(store, passwords, "from the environment").await();
      AdminStore.User admin = store.admin().userByName("admin").await();
      assertEquals("admin", admin.role());
      assertTrue(new BCryptPasswordEncoder().matches("from the environment", admin.passwordHash()));
      assertTrue(admin.passwordHash().startsWith("$2"), "a BCrypt hash, not the password");
      AdminBootstrap.ensureAdmin(store, passwords, "another password here").await();
      assertEquals(1, store.admin().countUsers().await());
      assertEquals(admin.passwordHash(), store.admin().userByName("admin").await().passwordHash());
    } finally {
      store.close().await();
    }
  }

  @Test
  void withoutAConfiguredPasswordEachDatabaseGetsADifferentRandomOne(Vertx vertx) {
    Store store = open(vertx);
    try {
      Passwords passwords = new Passwords(vertx, 4);
      AdminBootstrap.ensureAdmin(store, passwords, null).await();
      String first = store.admin().userByName("admin").await().passwordHash();
      store.admin().deleteUser(store.admin().userByName("admin").await().id()).await();
      AdminBootstrap.ensureAdmin(store, passwords, "").await();
      String second = store.admin().userByName("admin").await().passwordHash();
      for (String guess : new String[] {"admin", "password", "changeme", "switchboard", ""}) {
        assertTrue(!new BCryptPasswordEncoder().matches(guess, first), "no fixed default: " + guess);
      }
      assertNotEquals(first, second);
      ConfigException tooShort = assertThrows(ConfigException.class,
          () -> AdminBootstrap.ensureAdmin(store, passwords, "short").await());
      assertTrue(tooShort.getMessage().startsWith(AdminBootstrap.ADMIN_PASSWORD_ENV));
    } finally {
      store.close().await();
    }
  }

  @Test
  void theHs256SecretIsGeneratedOnceAndStoredEncrypted(Vertx vertx) {
    try (AdminFixture api = AdminFixture.start(vertx)) {
      String token = api.token("admin");
      String sealed = api.gateway.store().setting(AdminBootstrap.HS256_SETTING).await();
      assertTrue(sealed.startsWith("v1:"), "sealed with the master key");
      api.gateway.stop();
      // a restart on the same database keeps the secret, so tokens stay valid across restarts
      Store reopened = api.gateway.reopenStore();
      try {
        assertEquals(sealed, reopened.setting(AdminBootstrap.HS256_SETTING).await());
      } finally {
        reopened.close().await();
      }
      assertTrue(token.split("\\.").length == 3);
    }
  }

  @ParameterizedTest
  @CsvSource({"RS256, RSA, 2048", "ES256, EC, 256"})
  void asymmetricKeysFromPemFilesSignTheTokens(String alg, String keyType, int size, Vertx vertx) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType);
    generator.initialize(size);
    KeyPair pair = generator.generateKeyPair();
    Path priv = dir.resolve("jwt-private.pem");
    Path pub = dir.resolve("jwt-public.pem");
    Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    try (AdminFixture api = AdminFixture.start(TestGateway.builder(vertx).management("jwtAlgorithm", alg)
        .management("jwtPrivateKeyFile", priv.toString()).management("jwtPublicKeyFile", pub.toString()))) {
      String token = api.token("view");
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
      assertEquals(alg, header.getString("alg"));
      Reply me = api.get("/auth/me", token);
      assertEquals(200, me.status(), me.text());
      String[] parts = token.split("\\.");
      String hs = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
      assertEquals(401, api.get("/auth/me", hs + "." + parts[1] + "." + parts[2]).status(), "no algorithm switch");
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
