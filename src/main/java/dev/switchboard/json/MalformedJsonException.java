package dev.switchboard.json;

/** A body that is not the JSON we need; the message is safe to show the client. Stackless. */
public final class MalformedJsonException extends Exception {

  public MalformedJsonException(String message) {
    super(message, null, false, false);
  }
}
