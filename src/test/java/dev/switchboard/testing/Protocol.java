package dev.switchboard.testing;

/** The upstream wire protocol a {@link MockUpstream} route speaks. */
public enum Protocol {
  /** {@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models}. */
  OPENAI,
  /** {@code /openai/deployments/{deployment}/chat/completions?api-version=...}. */
  AZURE_OPENAI,
  /** {@code /v1/responses}. */
  OPENAI_RESPONSES,
  /** {@code /v1/messages}, {@code /v1/messages/count_tokens}. */
  ANTHROPIC,
  /** {@code /v1beta/models/{model}:<method>}. */
  GEMINI
}
