package dev.switchboard.admin;

import java.util.Locale;

/** Management roles, each including the ones below it: viewer reads, operator manages the pool, admin everything. */
enum Role {
  VIEWER, OPERATOR, ADMIN;

  boolean includes(Role required) {
    return ordinal() >= required.ordinal();
  }

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code value} (lowercase), or null. */
  static Role parse(String value) {
    if (value == null) return null;
    for (Role r : values()) {
      if (r.wire().equals(value)) return r;
    }
    return null;
  }
}
