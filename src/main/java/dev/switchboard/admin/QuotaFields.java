package dev.switchboard.admin;

import dev.switchboard.pricing.Cost;
import java.math.BigDecimal;

/**
 * The quota fields of a channel or credential body: {@code quota}, tokens as a whole number,
 * and {@code costQuota}, money in the prices' currency as a number or decimal string with at
 * most 9 decimals. An explicit null clears a quota; an absent field keeps {@code current}.
 * -1 means none, as in the store.
 */
final class QuotaFields {

  static final String TOKENS = "quota";
  static final String MONEY = "costQuota";
  /** Below what a signed 64-bit count of nanos can hold. */
  private static final BigDecimal MAX_MONEY = new BigDecimal("9000000000");

  private QuotaFields() {}

  /** The token quota in the body, or {@code current} when the field is absent. */
  static long tokens(Fields f, long current) {
    if (!f.has(TOKENS)) return current;
    Object v = f.raw(TOKENS);
    if (v == null) return -1;
    if (!(v instanceof Number n) || n instanceof Double d && d != Math.rint(d) || n instanceof Float
        || new BigDecimal(n.toString()).signum() < 0 || new BigDecimal(n.toString()).compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      f.error(TOKENS, "must be a whole number of tokens, at least 0, or null for none");
      return current;
    }
    return new BigDecimal(n.toString()).longValue();
  }

  /** The money quota in nanos, or {@code current} when the field is absent. */
  static long nanos(Fields f, long current) {
    if (!f.has(MONEY)) return current;
    Object v = f.raw(MONEY);
    if (v == null) return -1;
    BigDecimal amount = null;
    try {
      if (v instanceof Number n && Double.isFinite(n.doubleValue())) amount = new BigDecimal(n.toString());
      else if (v instanceof String s && s.length() <= 32) amount = new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      amount = null;
    }
    if (amount == null || amount.signum() < 0 || amount.compareTo(MAX_MONEY) >= 0 || amount.stripTrailingZeros().scale() > 9) {
      f.error(MONEY, "must be an amount of money from 0 to below 9000000000 with at most 9 decimals, or null for none");
      return current;
    }
    return amount.movePointRight(9).longValue();
  }

  /** A money quota as answers show it: a decimal string, null for none. */
  static String display(long nanos) {
    return nanos < 0 ? null : new Cost(nanos, 0).display();
  }

  static Long shown(long tokens) {
    return tokens < 0 ? null : tokens;
  }
}
