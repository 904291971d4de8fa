package dev.switchboard.bus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Sends the messages one event loop produces for one local address as one event-bus message
 * per turn of that loop, a {@link Batch} when there are several. The consumer runs on another
 * event loop, so every message it gets costs a cross-thread wake-up: per request, that was a
 * large share of a proxied request's cost. Order is kept per sending thread; nothing waits
 * longer than the rest of the current loop turn. Off an event loop, messages go out at once.
 */
public final class Batcher {

  /** Several messages for one address, in the order they were sent. */
  public record Batch(List<Object> items) {}

  private static final int MAX_BATCH = 512;

  private final EventBus bus;
  private final String address;
  private final ThreadLocal<List<Object>> pending = ThreadLocal.withInitial(ArrayList::new);

  public Batcher(Vertx vertx, String address) {
    this.bus = vertx.eventBus();
    this.address = address;
    LocalCodec.register(vertx, Batch.class);
  }

  public void send(Object message) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      bus.send(address, message);
      return;
    }
    List<Object> items = pending.get();
    items.add(message);
    if (items.size() == 1) {
      context.runOnContext(v -> flush(items));
    } else if (items.size() >= MAX_BATCH) {
      flush(items); // a long turn (or a flush task that never ran) does not hold messages back
    }
  }

  private void flush(List<Object> items) {
    if (items.isEmpty()) return;
    Object message = items.size() == 1 ? items.get(0) : new Batch(List.copyOf(items));
    items.clear(); // before sending: a message sent meanwhile starts the next batch
    bus.send(address, message);
  }

  /** Hands each message of {@code body} (a {@link Batch} or a single message) to {@code each}. */
  public static void forEach(Object body, Consumer<Object> each) {
    if (body instanceof Batch b) {
      b.items().forEach(each);
    } else {
      each.accept(body);
    }
  }
}
