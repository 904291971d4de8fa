package dev.switchboard.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Eight bytes at a time (SWAR): a {@code long} read of a byte array and the bit tricks that
 * flag the bytes of it that equal a given byte, for the byte searches on the relay paths.
 */
public final class Swar {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private Swar() {}

  /** {@code a[i, i + 8)} as a little-endian long: the byte at {@code i} is the lowest. */
  public static long word(byte[] a, int i) {
    return (long) LONGS.get(a, i);
  }

  /**
   * A flag (the byte's high bit) on each zero byte of {@code word}. The lowest flag is always a
   * zero byte; a flag above it may be a false one (a borrow), which callers check anyway.
   */
  public static long zeros(long word) {
    return (word - ONES) & ~word & HIGHS;
  }

  /** {@code b} in each of the eight bytes: {@code zeros(word ^ broadcast(b))} flags the bytes equal to b. */
  public static long broadcast(byte b) {
    return (b & 0xFFL) * ONES;
  }

  /** The offset in its word (0 to 7) of the lowest flagged byte of a non-zero {@link #zeros} result. */
  public static int lowest(long flags) {
    return Long.numberOfTrailingZeros(flags) >>> 3;
  }
}
