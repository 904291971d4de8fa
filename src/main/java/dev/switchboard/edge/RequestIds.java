package dev.switchboard.edge;

import java.util.concurrent.ThreadLocalRandom;

/** Short random request ids ({@code req_} + 20 hex digits): unique enough, cheap, unguessable enough for logs. */
final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long a = r.nextLong();
    int b = r.nextInt();
    char[] out = new char[24];
    out[0] = 'r';
    out[1] = 'e';
    out[2] = 'q';
    out[3] = '_';
    for (int i = 0; i < 16; i++) out[4 + i] = HEX[(int) (a >>> (i * 4)) & 0xf];
    for (int i = 0; i < 4; i++) out[20 + i] = HEX[(b >>> (i * 4)) & 0xf];
    return new String(out);
  }
}
