package dev.switchboard.translate;

/**
 * A request the target protocol cannot express, or a body that is not what its protocol
 * promises. The message is safe to show the client (it becomes a 400 in the client's
 * protocol). Stackless.
 */
public final class TranslationException extends RuntimeException {

  public TranslationException(String message) {
    super(message, null, false, false);
  }
}
