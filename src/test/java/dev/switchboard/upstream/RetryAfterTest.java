package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final long NOW = ZonedDateTime.parse("Wed, 21 Oct 2015 07:28:00 GMT", DateTimeFormatter.RFC_1123_DATE_TIME)
      .toInstant().toEpochMilli();

  private static long millis(String... nameValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < nameValues.length; i += 2) headers.add(nameValues[i], nameValues[i + 1]);
    return RetryAfter.millis(headers, NOW);
  }

  @Test
  void noHeaderMeansTheUpstreamDidNotSay() {
    assertEquals(-1, millis());
    assertEquals(-1, millis("retry-after", ""));
    assertEquals(-1, millis("retry-after", "   "));
  }

  @Test
  void readsRetryAfterMsFirst() {
    assertEquals(1500, millis("retry-after-ms", "1500", "retry-after", "30"));
    assertEquals(250, millis("Retry-After-Ms", " 249.6 "));
  }

  @Test
  void readsRetryAfterInSecondsIncludingDecimals() {
    assertEquals(30_000, millis("Retry-After", "30"));
    assertEquals(1_500, millis("retry-after", "1.5"));
    assertEquals(0, millis("retry-after", "0"));
  }

  @Test
  void readsRetryAfterAsAnHttpDateRelativeToNow() {
    assertEquals(30_000, millis("retry-after", "Wed, 21 Oct 2015 07:28:30 GMT"));
    assertEquals(3_600_000, millis("retry-after", "Wed, 21 Oct 2015 08:28:00 GMT"));
    assertEquals(0, millis("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT"), "a date in the past means now");
  }

  @Test
  void fallsBackToRetryAfterWhenRetryAfterMsIsGarbage() {
    assertEquals(2_000, millis("retry-after-ms", "soon", "retry-after", "2"));
    assertEquals(-1, millis("retry-after-ms", "soon"));
  }

  @Test
  void negativeWaitsMeanNow() {
    assertEquals(0, millis("retry-after", "-3"));
    assertEquals(0, millis("retry-after-ms", "-3"));
  }

  @Test
  void garbageMeansTheUpstreamDidNotSay() {
    for (String garbage : new String[] {"soon", "30 seconds", "Wed, 21 Oct 2015", "2015-10-21T07:28:30Z", "1,5"}) {
      assertEquals(-1, millis("retry-after", garbage), garbage);
    }
  }

  @Test
  void numbersOutsideTheHttpGrammarAreGarbage() {
    for (String garbage : new String[] {"NaN", "Infinity", "-Infinity", "0x1p4", "5d", "2f", "1e3", "+5", ".5", "5."}) {
      assertEquals(-1, millis("retry-after", garbage), garbage);
      assertEquals(-1, millis("retry-after-ms", garbage), "retry-after-ms: " + garbage);
    }
  }
}
