package dev.switchboard.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SessionKeysTest {

  private static MultiMap headers(String... kv) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < kv.length; i += 2) h.add(kv[i], kv[i + 1]);
    return h;
  }

  private static JsonObject chat(String system, String... turns) {
    JsonArray messages = new JsonArray();
    if (system != null) messages.add(new JsonObject().put("role", "system").put("content", system));
    for (int i = 0; i < turns.length; i++) {
      messages.add(new JsonObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", turns[i]));
    }
    return new JsonObject().put("model", "m").put("messages", messages);
  }

  @Test
  void anExplicitSessionHeaderWinsAndIsCaseInsensitive() {
    String a = SessionKeys.extract(headers("X-Session-Id", "abc"), chat("s", "hi"));
    assertEquals(a, SessionKeys.extract(headers("x-session-id", "abc"), chat("other", "bye")));
    assertNotEquals(a, SessionKeys.extract(headers("x-session-id", "abd"), chat("s", "hi")));
    assertTrue(a.startsWith("h") && !a.contains("abc"), "a hash, never the client's identifier");
  }

  @Test
  void claudeCodeAndCodexSessionHeadersAreSessions() {
    for (String h : new String[] {"x-claude-code-session-id", "session_id", "session-id", "conversation_id"}) {
      assertEquals(SessionKeys.extract(headers(h, "s-1"), null), SessionKeys.extract(headers(h, "s-1"), chat(null, "x")));
      assertTrue(SessionKeys.extract(headers(h, "s-1"), null).startsWith("h"), h);
    }
  }

  @Test
  void promptCacheKeyThenAnthropicMetadataUserId() {
    JsonObject both = chat("s", "hi").put("prompt_cache_key", "pck").put("metadata", new JsonObject().put("user_id", "u1"));
    assertTrue(SessionKeys.extract(headers(), both).startsWith("p"));
    JsonObject anthropic = new JsonObject().put("system", "be brief").put("metadata", new JsonObject().put("user_id", "user_x_session_y"))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    String u = SessionKeys.extract(headers(), anthropic);
    assertTrue(u.startsWith("u"));
    assertEquals(u, SessionKeys.extract(headers(), anthropic.copy().put("system", "changed")));
  }

  @Test
  void withoutAnIdentifierTheConversationsStartIsTheSession() {
    String first = SessionKeys.extract(headers(), chat("sys", "hello"));
    String later = SessionKeys.extract(headers(), chat("sys", "hello", "hi there", "and then?"));
    assertEquals(first, later, "later turns of the same conversation");
    assertNotEquals(first, SessionKeys.extract(headers(), chat("sys", "another start")));
    assertNotEquals(first, SessionKeys.extract(headers(), chat("other system", "hello")));
    JsonObject responses = new JsonObject().put("input", new JsonArray()
        .add(new JsonObject().put("role", "developer").put("content", "rules"))
        .add(new JsonObject().put("role", "user").put("content", "task")));
    assertEquals(SessionKeys.extract(headers(), responses),
        SessionKeys.extract(headers(), responses.copy().put("input", responses.getJsonArray("input").copy()
            .add(new JsonObject().put("type", "function_call_output").put("output", "x")))));
    assertTrue(SessionKeys.extract(headers(), new JsonObject().put("input", "just text")).startsWith("m"));
  }

  @Test
  void nothingToGoOnIsNoSession() {
    assertNull(SessionKeys.extract(headers(), new JsonObject().put("model", "m")));
    assertNull(SessionKeys.extract(null, null));
    assertNull(SessionKeys.extract(headers("x-session-id", "  "), new JsonObject()));
  }
}
