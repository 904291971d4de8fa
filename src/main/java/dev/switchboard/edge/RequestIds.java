package dev.switchboard.edge;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: {@code req_}, 12 hex digits of the current millisecond, 12 random hex digits.
 * Ids made later sort later, so the request log's index on them grows at its end instead of
 * touching a random page per insert; 48 random bits keep them unique and unguessable enough
 * for logs.
 */
final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String next() {
    return next(System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
  }

  static String next(long millis, long random) {
    char[] out = new char[28];
    out[0] = 'r';
    out[1] = 'e';
    out[2] = 'q';
    out[3] = '_';
    for (int i = 0; i < 12; i++) out[4 + i] = HEX[(int) (millis >>> ((11 - i) * 4)) & 0xf];
    for (int i = 0; i < 12; i++) out[16 + i] = HEX[(int) (random >>> (i * 4)) & 0xf];
    return new String(out);
  }
}
