package dev.switchboard.store;

/** A write refused because it would duplicate a unique name; the message names the field. */
public final class StoreConflict extends RuntimeException {

  private final String field;

  public StoreConflict(String field, String message) {
    super(message, null, false, false);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
