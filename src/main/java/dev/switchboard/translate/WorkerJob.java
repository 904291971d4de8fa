package dev.switchboard.translate;

/**
 * Whole-body work too heavy for an event loop (parsing or translating a large request), sent
 * to the translator workers by reference. The reply is a {@link Result}; a body the client got
 * wrong fails the reply with status 400 and a message that is safe to show.
 */
public record WorkerJob(Task task) {

  @FunctionalInterface
  public interface Task {
    Object run() throws Exception;
  }

  /** What the task returned. */
  public record Result(Object value) {}
}
