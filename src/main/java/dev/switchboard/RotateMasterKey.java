package dev.switchboard;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.MasterKeyRotation;
import dev.switchboard.store.SecretBox;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar switchboard.jar rotate-master-key [--config FILE] (--new-key-file PATH | --new-key-env VAR)}:
 * re-encrypts every stored secret under a new master key. The current key comes from where the
 * gateway takes it ({@code SWITCHBOARD_MASTER_KEY}, else {@code security.masterKeyFile}); the new
 * one from a key file (read if it exists, else generated and written with mode 0600 before
 * anything is re-encrypted) or from an environment variable. Run it with every gateway instance
 * stopped. No key is ever printed. Exit status: 0 done, 1 failed (database unchanged), 2 usage.
 */
final class RotateMasterKey {

  static final String COMMAND = "rotate-master-key";
  static final String USAGE = "usage: java -jar switchboard.jar " + COMMAND
      + " [--config FILE] (--new-key-file PATH | --new-key-env VARIABLE)";

  private static final Logger LOG = LoggerFactory.getLogger(RotateMasterKey.class);

  private RotateMasterKey() {}

  /** Runs the command on {@code args} (after the command name); returns the exit status. */
  static int run(String[] args, Map<String, String> env) {
    String configFile = Main.DEFAULT_CONFIG;
    boolean configGiven = false;
    String newKeyFile = null;
    String newKeyEnv = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      boolean valued = arg.equals("--config") || arg.equals("-c") || arg.equals("--new-key-file") || arg.equals("--new-key-env");
      if (valued && i + 1 >= args.length) return usage(arg + " needs a value");
      switch (arg) {
        case "--config", "-c" -> {
          configFile = args[++i];
          configGiven = true;
        }
        case "--new-key-file" -> newKeyFile = args[++i];
        case "--new-key-env" -> newKeyEnv = args[++i];
        default -> {
          return usage("unknown argument '" + arg + "'");
        }
      }
    }
    if ((newKeyFile == null) == (newKeyEnv == null)) return usage("give exactly one of --new-key-file and --new-key-env");

    Vertx vertx = Vertx.vertx();
    try {
      SwitchboardConfig config = ConfigLoader.load(vertx, configFile, configGiven, env).await();
      String currentEnv = env.get(SecretBox.ENV);
      Path currentFile = Path.of(config.security().masterKeyFile());
      SecretBox current;
      if (currentEnv != null && !currentEnv.isBlank()) {
        current = SecretBox.fromBase64(currentEnv, SecretBox.ENV);
      } else if (Files.exists(currentFile)) {
        current = SecretBox.fromKeyFile(currentFile);
      } else {
        LOG.error("no current master key: {} is not set and {} does not exist; nothing to rotate", SecretBox.ENV, currentFile);
        return 1;
      }
      SecretBox next;
      if (newKeyFile != null) {
        Path file = Path.of(newKeyFile);
        if (Files.exists(currentFile) && Files.exists(file) && Files.isSameFile(file, currentFile)) {
          return usage("--new-key-file must not be the current key file: keep the old key until the rotation is checked");
        }
        boolean existed = Files.exists(file);
        next = SecretBox.fromKeyFile(file);
        LOG.info(existed ? "new master key read from {}" : "new master key generated and written to {} (mode 0600)", file);
      } else {
        String value = env.get(newKeyEnv);
        if (value == null || value.isBlank()) return usage("the environment variable " + newKeyEnv + " is not set");
        next = SecretBox.fromBase64(value, newKeyEnv);
      }
      if (next.sameKeyAs(current)) return usage("the new master key is the current one");

      LOG.info("re-encrypting every stored secret in {} (every gateway instance must be stopped)", config.database().type());
      MasterKeyRotation.Result result = MasterKeyRotation.rotate(vertx, config.database(), current, next).await();
      LOG.info("done: {} upstream credentials and {} internal settings re-encrypted and verified under the new master key",
          result.credentials(), result.settings());
      LOG.info("now: {}, start the gateway, and keep the old key until it serves (then destroy it)",
          newKeyFile != null
              ? "set security.masterKeyFile to " + newKeyFile + " (or " + SecretBox.ENV + " to that file's contents)"
              : "set " + SecretBox.ENV + " to the value of " + newKeyEnv);
      return 0;
    } catch (ConfigException e) {
      LOG.error("configuration error: {}", e.getMessage());
      return 2;
    } catch (Exception e) {
      LOG.error("master key rotation failed, the database is unchanged: {}", e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  private static int usage(String problem) {
    LOG.error("{}\n{}", problem, USAGE);
    return 2;
  }
}
