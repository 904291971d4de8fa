package dev.switchboard.affinity;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which session a request belongs to, so it can stick to the credential whose prompt cache is
 * warm. Pure: headers and the parsed body in, a key out (a hash: no client identifier is kept
 * or sent to Redis), or null when the request says nothing that identifies a conversation.
 * First match wins: {@code x-session-id}; Claude Code's {@code x-claude-code-session-id};
 * Codex's {@code session_id} / {@code session-id} / {@code conversation_id}; OpenAI
 * {@code prompt_cache_key}; Anthropic {@code metadata.user_id} (Claude Code puts its session
 * in it); else a hash of the system prompt and the first user turn of {@code messages},
 * {@code input} (Responses) or {@code contents} (Gemini).
 */
public final class SessionKeys {

  private static final String[] HEADERS = {"x-session-id", "x-claude-code-session-id", "session_id", "session-id", "conversation_id"};

  private SessionKeys() {}

  public static String extract(MultiMap headers, JsonObject body) {
    if (headers != null) {
      for (String h : HEADERS) {
        String v = headers.get(h);
        if (v != null && !v.isBlank()) return hash("h", v.trim());
      }
    }
    if (body == null) return null;
    String cacheKey = string(body.getValue("prompt_cache_key"));
    if (cacheKey != null) return hash("p", cacheKey);
    Object metadata = body.getValue("metadata");
    if (metadata instanceof JsonObject m) {
      String user = string(m.getValue("user_id"));
      if (user != null) return hash("u", user);
    }
    return conversationStart(body);
  }

  /** The system prompt and the first user turn: equal for every request of one conversation. */
  private static String conversationStart(JsonObject body) {
    StringBuilder seed = new StringBuilder();
    Object system = body.getValue("system") != null ? body.getValue("system")
        : body.getValue("instructions") != null ? body.getValue("instructions") : body.getValue("systemInstruction");
    if (system != null) seed.append(encode(system)).append('\n');
    Object turns = body.getValue("messages") != null ? body.getValue("messages")
        : body.getValue("input") != null ? body.getValue("input") : body.getValue("contents");
    if (turns instanceof JsonArray list) {
      for (Object turn : list) {
        if (!(turn instanceof JsonObject t)) continue;
        String role = t.getValue("role") instanceof String r ? r : "user";
        seed.append(encode(t)).append('\n');
        if (role.equals("user")) break; // system/developer turns before it belong to the seed too
      }
    } else if (turns instanceof String s) {
      seed.append(s);
    }
    return seed.length() == 0 ? null : hash("m", seed.toString());
  }

  private static String encode(Object o) {
    return o instanceof JsonObject j ? j.encode() : o instanceof JsonArray a ? a.encode() : String.valueOf(o);
  }

  private static String string(Object v) {
    return v instanceof String s && !s.isBlank() ? s : null;
  }

  private static String hash(String source, String value) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest((source + ":" + value).getBytes(StandardCharsets.UTF_8));
      return source + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
