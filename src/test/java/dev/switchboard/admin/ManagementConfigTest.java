package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig.Management;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code management} section: defaults, validation and environment overrides. */
class ManagementConfigTest {

  private static Management parse(JsonObject management, Map<String, String> env) {
    return ConfigLoader.parse(new JsonObject().put("management", management), env).management();
  }

  @Test
  void defaultsServeTheApiOnTheGatewayPortWithHs256AndNoCors() {
    Management m = parse(new JsonObject(), Map.of());
    assertTrue(m.enabled());
    assertEquals(0, m.port());
    assertFalse(m.separateListener());
    assertEquals("HS256", m.jwtAlgorithm());
    assertEquals(15 * 60_000L, m.accessTokenTtlMs());
    assertEquals(7 * 24 * 3_600_000L, m.refreshTokenTtlMs());
    assertEquals(List.of(), m.corsOrigins());
    assertEquals(5, m.loginMaxAttempts());
    assertFalse(m.trustForwardedFor());
  }

  @Test
  void environmentVariablesOverrideEveryScalarKey() {
    Management m = parse(new JsonObject(), Map.of(
        "SWITCHBOARD_MANAGEMENT_PORT", "9090", "SWITCHBOARD_MANAGEMENT_HOST", "127.0.0.1",
        "SWITCHBOARD_MANAGEMENT_ACCESS_TOKEN_TTL", "5m", "SWITCHBOARD_MANAGEMENT_ENABLED", "false",
        "SWITCHBOARD_MANAGEMENT_CORS_ORIGINS", "https://a.example.com, https://b.example.com/",
        "SWITCHBOARD_MANAGEMENT_LOGIN_MAX_ATTEMPTS", "3", "SWITCHBOARD_MANAGEMENT_LOGIN_LOCKOUT", "1h",
        "SWITCHBOARD_MANAGEMENT_TRUST_FORWARDED_FOR", "true"));
    assertTrue(m.trustForwardedFor());
    assertEquals(9090, m.port());
    assertTrue(m.separateListener());
    assertEquals("127.0.0.1", m.host());
    assertEquals(300_000, m.accessTokenTtlMs());
    assertFalse(m.enabled());
    assertEquals(List.of("https://a.example.com", "https://b.example.com"), m.corsOrigins());
    assertEquals(3, m.loginMaxAttempts());
    assertEquals(3_600_000, m.loginLockoutMs());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> parse(new JsonObject(), Map.of("SWITCHBOARD_MANAGEMENT_JWT_SECRET", "x")));
    assertTrue(unknown.getMessage().contains("SWITCHBOARD_MANAGEMENT_JWT_SECRET"), unknown.getMessage());
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertKey("management.jwtAlgorithm", new JsonObject().put("jwtAlgorithm", "none"));
    assertKey("management.jwtPrivateKeyFile", new JsonObject().put("jwtAlgorithm", "RS256"));
    assertKey("management.accessTokenTtl", new JsonObject().put("accessTokenTtl", "1s"));
    assertKey("management.refreshTokenTtl", new JsonObject().put("accessTokenTtl", "1h").put("refreshTokenTtl", "10m"));
    assertKey("management.corsOrigins", new JsonObject().put("corsOrigins", "not a url"));
    assertKey("management.port", new JsonObject().put("port", 70000));
    assertKey("management.enabled", new JsonObject().put("enabled", "maybe"));
    assertKey("management.secret", new JsonObject().put("secret", "x"));
  }

  private static void assertKey(String key, JsonObject management) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(management, Map.of()));
    assertTrue(e.getMessage().startsWith(key), e.getMessage());
  }
}
