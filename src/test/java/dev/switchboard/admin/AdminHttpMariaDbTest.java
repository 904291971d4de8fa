package dev.switchboard.admin;

import org.junit.jupiter.api.Nested;

/**
 * The main management HTTP suites with the gateway's data in MariaDB/MySQL at {@code SWITCHBOARD_TEST_MYSQL_URL}
 * (skipped, loudly, when it is not set and no Docker engine answers). Nested here rather than one
 * class per suite so they share one test JVM; every suite keeps its own gateway lifecycle.
 */
class AdminHttpMariaDbTest {

  @Nested
  class AuthApi extends AuthApiTest {
    @Override
    AdminDb db() {
      return AdminDb.MARIADB;
    }
  }

  @Nested
  class RoleEnforcement extends RoleEnforcementTest {
    @Override
    AdminDb db() {
      return AdminDb.MARIADB;
    }
  }

  @Nested
  class PoolResourcesApi extends PoolResourcesApiTest {
    @Override
    AdminDb db() {
      return AdminDb.MARIADB;
    }
  }

  @Nested
  class InputSafety extends InputSafetyTest {
    @Override
    AdminDb db() {
      return AdminDb.MARIADB;
    }
  }

  @Nested
  class SecretExposure extends SecretExposureTest {
    @Override
    AdminDb db() {
      return AdminDb.MARIADB;
    }
  }

  @Nested
  class UsersSettingsAuditApi extends UsersSettingsAuditApiTest {
    @Override
    AdminDb db() {
      return AdminDb.MARIADB;
    }
  }
}
