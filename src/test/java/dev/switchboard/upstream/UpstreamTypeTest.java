package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.switchboard.upstream.UpstreamType.Operation;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class UpstreamTypeTest {

  @Test
  void eachTypeKnowsWhereItsOperationsLive() {
    assertEquals("https://api.openai.com/v1/chat/completions",
        UpstreamType.OPENAI.url("https://api.openai.com/v1", Operation.GENERATE, "gpt-4o", true));
    assertEquals("https://api.openai.com/v1/responses",
        UpstreamType.OPENAI_RESPONSES.url("https://api.openai.com/v1", Operation.GENERATE, "o3", false));
    assertEquals("https://api.anthropic.com/v1/messages",
        UpstreamType.ANTHROPIC.url("https://api.anthropic.com/v1", Operation.GENERATE, "claude", true));
    assertEquals("https://api.anthropic.com/v1/messages/count_tokens",
        UpstreamType.ANTHROPIC.url("https://api.anthropic.com/v1", Operation.COUNT_TOKENS, "claude", false));
    assertNull(UpstreamType.ANTHROPIC.url("https://api.anthropic.com/v1", Operation.EMBED, "claude", false));
    assertNull(UpstreamType.OPENAI.url("https://x/v1", Operation.COUNT_TOKENS, "m", false));
  }

  @Test
  void geminiStreamsBySseAndEscapesTheModelInThePath() {
    String base = "https://generativelanguage.googleapis.com/v1beta";
    assertEquals(base + "/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
        UpstreamType.GEMINI.url(base, Operation.GENERATE, "gemini-2.5-flash", true));
    assertEquals(base + "/models/gemini-2.5-flash:generateContent",
        UpstreamType.GEMINI.url(base, Operation.GENERATE, "gemini-2.5-flash", false));
    assertEquals(base + "/models/tuned%2Fa%20b:countTokens", UpstreamType.GEMINI.url(base, Operation.COUNT_TOKENS, "tuned/a b", false));
    assertEquals(base + "/models/e:batchEmbedContents", UpstreamType.GEMINI.url(base, Operation.BATCH_EMBED, "e", false));
  }

  @Test
  void azureUsesTheDeploymentAndTheApiVersionOfTheBaseUrl() {
    assertEquals("https://res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=" + UpstreamType.AZURE_API_VERSION,
        UpstreamType.AZURE_OPENAI.url("https://res.openai.azure.com", Operation.GENERATE, "gpt4o-prod", true));
    assertEquals("https://res.openai.azure.com/openai/deployments/d/embeddings?api-version=2025-01-01-preview",
        UpstreamType.AZURE_OPENAI.url("https://res.openai.azure.com/openai?api-version=2025-01-01-preview", Operation.EMBED, "d", false));
  }

  @Test
  void eachTypePutsTheCredentialWhereItsVendorLooks() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    UpstreamType.OPENAI.authorize(h, "sk-1");
    assertEquals("Bearer sk-1", h.get("authorization"));

    h = MultiMap.caseInsensitiveMultiMap();
    UpstreamType.ANTHROPIC.authorize(h, "sk-ant");
    assertEquals("sk-ant", h.get("x-api-key"));
    assertEquals(UpstreamType.ANTHROPIC_VERSION, h.get("anthropic-version"));
    assertFalse(h.contains("authorization"));

    h = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2024-01-01");
    UpstreamType.ANTHROPIC.authorize(h, "k");
    assertEquals("2024-01-01", h.get("anthropic-version"), "the client's version is kept");

    h = MultiMap.caseInsensitiveMultiMap();
    UpstreamType.GEMINI.authorize(h, "AIza");
    assertEquals("AIza", h.get("x-goog-api-key"));

    h = MultiMap.caseInsensitiveMultiMap();
    UpstreamType.AZURE_OPENAI.authorize(h, "az");
    assertEquals("az", h.get("api-key"));

    h = MultiMap.caseInsensitiveMultiMap();
    UpstreamType.OPENAI.authorize(h, "");
    assertFalse(h.contains("authorization"), "a key-less channel sends no credential");
  }

  @Test
  void typesAreFoundByTheirConfigurationId() {
    assertEquals(UpstreamType.AZURE_OPENAI, UpstreamType.of("Azure-OpenAI"));
    assertNull(UpstreamType.of("cohere"));
    assertNull(UpstreamType.of(null));
  }
}
