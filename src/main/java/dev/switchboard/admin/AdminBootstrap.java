package dev.switchboard.admin;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the management API needs before it serves: its signing keys (for HS256 a secret
 * generated once and kept encrypted in the settings table) and, on the very first start, the
 * user {@code admin} with a random password printed once, or {@code SWITCHBOARD_ADMIN_PASSWORD}.
 */
public final class AdminBootstrap {

  public static final String ADMIN_PASSWORD_ENV = "SWITCHBOARD_ADMIN_PASSWORD";
  static final String HS256_SETTING = SettingRoutes.INTERNAL + "jwt.hs256";
  static final int BCRYPT_STRENGTH = 10;

  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

  private AdminBootstrap() {}

  /** Prepares keys and the first user; completes with what every listener of the API shares. */
  public static Future<AdminContext> prepare(Vertx vertx, Store store, SecretBox secrets,
      SwitchboardConfig.Management config, String adminPassword) {
    Passwords passwords = new Passwords(vertx, BCRYPT_STRENGTH);
    return keys(vertx, store, secrets, config)
        .compose(keys -> ensureAdmin(store, passwords, adminPassword)
            .map(v -> new AdminContext(store, config, keys, passwords,
                LoginLimiter.local(config.loginMaxAttempts(), config.loginWindowMs(), config.loginLockoutMs()))));
  }

  private static Future<List<PubSecKeyOptions>> keys(Vertx vertx, Store store, SecretBox secrets,
      SwitchboardConfig.Management config) {
    String alg = config.jwtAlgorithm();
    if (!"HS256".equals(alg)) {
      return vertx.fileSystem().readFile(config.jwtPrivateKeyFile())
          .compose(priv -> vertx.fileSystem().readFile(config.jwtPublicKeyFile())
              .map(pub -> List.of(new PubSecKeyOptions().setAlgorithm(alg).setBuffer(priv),
                  new PubSecKeyOptions().setAlgorithm(alg).setBuffer(pub))))
          .recover(err -> Future.failedFuture(new ConfigException("management.jwtPrivateKeyFile",
              "cannot read the " + alg + " key files: " + err.getMessage())));
    }
    return store.setting(HS256_SETTING).compose(sealed -> {
      if (sealed != null) {
        return Future.succeededFuture(secrets.decrypt(sealed));
      }
      String secret = Passwords.random(32);
      // read back: when two instances start at once on one database, both use the value that stayed
      return store.putSetting(HS256_SETTING, secrets.encrypt(secret))
          .compose(v -> store.setting(HS256_SETTING))
          .map(secrets::decrypt)
          .onSuccess(v -> LOG.info("generated the management API's JWT signing secret (stored encrypted)"));
    }).map(secret -> List.of(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  /** Creates {@code admin} when there is no user at all. */
  static Future<Void> ensureAdmin(Store store, Passwords passwords, String configured) {
    if (configured != null && !configured.isEmpty()) {
      int bytes = configured.getBytes(StandardCharsets.UTF_8).length;
      if (configured.length() < 10 || bytes > 72) {
        return Future.failedFuture(new ConfigException(ADMIN_PASSWORD_ENV, "must be 10 to 72 bytes long"));
      }
    }
    return store.admin().countUsers().compose(n -> {
      if (n > 0) {
        return Future.succeededFuture();
      }
      boolean generated = configured == null || configured.isEmpty();
      String password = generated ? Passwords.random(15) : configured;
      return passwords.hash(password)
          .compose(hash -> store.admin().createUser("admin", hash, Role.ADMIN.wire(), true))
          .onSuccess(u -> {
            if (generated) {
              LOG.warn("created management user 'admin' with password {} (shown once; change it with POST /api/v1/auth/password)",
                  password);
            } else {
              LOG.info("created management user 'admin' with the password from {}", ADMIN_PASSWORD_ENV);
            }
          })
          .mapEmpty();
    });
  }
}
