package dev.switchboard.translate;

/** The wire protocols Switchboard speaks, to clients and to upstreams. */
public enum Protocol {
  OPENAI_CHAT("openai-chat"),
  OPENAI_RESPONSES("openai-responses"),
  ANTHROPIC_MESSAGES("anthropic-messages"),
  GEMINI("gemini");

  private final String id;

  Protocol(String id) {
    this.id = id;
  }

  /** The name usage records and logs use. */
  public String id() {
    return id;
  }
}
