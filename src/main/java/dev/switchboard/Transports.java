package dev.switchboard;

import io.vertx.core.transport.Transport;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * The network transport the gateway's event loops run on: epoll where its bundled library loads
 * (Linux x86-64), else Java NIO; io_uring when asked for with {@code
 * -Dswitchboard.transport=io_uring} ({@code epoll} and {@code nio} can be asked for too). One
 * that cannot load here (another OS or CPU, a kernel without io_uring, a container whose seccomp
 * profile forbids it) falls back to the next in io_uring, epoll, NIO, with a warning.
 */
public final class Transports {

  private Transports() {}

  /** The transport for a {@code switchboard.transport} value (null or empty: the default). */
  public static Transport choose(String wanted, Logger log) {
    String name = wanted == null ? "" : wanted.trim().toLowerCase(Locale.ROOT);
    Transport asked = switch (name) {
      case "", "auto" -> null;
      case "io_uring", "iouring", "io-uring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      case "nio" -> Transport.NIO;
      default -> {
        log.warn("unknown switchboard.transport '{}': expected io_uring, epoll or nio; using the default", wanted);
        yield null;
      }
    };
    if (asked != null && asked.available()) return asked;
    if (asked != null) {
      log.warn("the {} transport is not available here ({}); falling back", name(asked),
          asked.unavailabilityCause() == null ? "no reason given" : asked.unavailabilityCause().getMessage());
    }
    return Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
  }

  /** {@code io_uring}, {@code epoll}, {@code kqueue} or {@code nio}. */
  public static String name(Transport transport) {
    return transport.name().toLowerCase(Locale.ROOT);
  }
}
