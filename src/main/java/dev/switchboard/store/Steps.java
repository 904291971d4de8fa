package dev.switchboard.store;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;

/** Runs asynchronous steps one after another, as needed on a single connection. */
final class Steps {

  private Steps() {}

  /** Applies {@code step} to each item in order, starting each when the previous succeeded. */
  static <T> Future<Void> each(List<T> items, Function<T, Future<?>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> step.apply(item).mapEmpty());
    }
    return chain;
  }
}
