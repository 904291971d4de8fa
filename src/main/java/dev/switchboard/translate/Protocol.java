package dev.switchboard.translate;

/** The wire protocols Switchboard speaks, to clients and to upstreams. */
public enum Protocol {
  OPENAI_CHAT,
  OPENAI_RESPONSES,
  ANTHROPIC_MESSAGES,
  GEMINI
}
