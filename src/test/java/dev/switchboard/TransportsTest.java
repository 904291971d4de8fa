package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class TransportsTest {

  private static final Logger LOG = LoggerFactory.getLogger(TransportsTest.class);

  private static Transport fallback() {
    return Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
  }

  @Test
  void withoutAChoiceEpollIsTakenWhereItLoadsElseNio() {
    assertEquals(fallback(), Transports.choose(null, LOG));
    assertEquals(fallback(), Transports.choose("", LOG));
    assertEquals(fallback(), Transports.choose("auto", LOG));
    assertEquals(fallback(), Transports.choose("carrier-pigeon", LOG), "an unknown name is warned about, not fatal");
  }

  @Test
  void nioIsAlwaysThereWhenAskedFor() {
    assertEquals(Transport.NIO, Transports.choose("nio", LOG));
    assertEquals(Transport.NIO, Transports.choose(" NIO ", LOG));
  }

  @Test
  void aNativeTransportAskedForIsTakenWhereItLoadsAndFallsBackDownTheListWhereNot() {
    Transport epoll = Transports.choose("epoll", LOG);
    assertEquals(Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO, epoll, "from epoll down is NIO only");
    Transport uring = Transports.choose("io_uring", LOG);
    assertEquals(Transport.IO_URING.available() ? Transport.IO_URING : fallback(), uring);
  }

  @Test
  void bothNativeTransportsLoadOnLinuxX64() {
    // both are bundled for this platform; io_uring also needs a kernel (5.14+) and a seccomp profile that allow it
    assumeTrue("Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch")),
        "the bundled native transports are for Linux x86-64");
    assertTrue(Transport.EPOLL.available(), String.valueOf(Transport.EPOLL.unavailabilityCause()));
    assertEquals("epoll", Transports.name(Transports.choose("epoll", LOG)));
    if (Transport.IO_URING.available()) {
      assertEquals("io_uring", Transports.name(Transports.choose("io_uring", LOG)));
    } else {
      LOG.warn("io_uring is not available on this machine ({}): asking for it gives epoll here",
          Transport.IO_URING.unavailabilityCause());
    }
  }
}
