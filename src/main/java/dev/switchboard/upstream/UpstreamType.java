package dev.switchboard.upstream;

import dev.switchboard.translate.Protocol;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of upstream a channel can be: which protocol it speaks, where each operation lives
 * under its base URL, and how it wants the gateway's credential. A channel's {@code type} in the
 * configuration is one of the {@link #id()}s.
 */
public enum UpstreamType {

  /** OpenAI Chat Completions and everything compatible with it. */
  OPENAI("openai", Protocol.OPENAI_CHAT),
  /** OpenAI's Responses API, for models served only there. */
  OPENAI_RESPONSES("openai-responses", Protocol.OPENAI_RESPONSES),
  ANTHROPIC("anthropic", Protocol.ANTHROPIC_MESSAGES),
  /** The Gemini API (Google AI Studio); the base URL ends in {@code /v1beta}. */
  GEMINI("gemini", Protocol.GEMINI),
  /**
   * Azure OpenAI: the base URL is the resource ({@code https://NAME.openai.azure.com}); the
   * upstream model is the deployment name; {@code api-version} is taken from the base URL's
   * query when it has one.
   */
  AZURE_OPENAI("azure-openai", Protocol.OPENAI_CHAT);

  /** What a request asks an upstream to do; each type maps it to its own path. */
  public enum Operation { GENERATE, COUNT_TOKENS, EMBED, BATCH_EMBED }

  public static final String ANTHROPIC_VERSION = "2023-06-01";
  public static final String AZURE_API_VERSION = "2024-10-21";
  private static final CharSequence X_API_KEY = HttpHeaders.createOptimized("x-api-key");
  private static final CharSequence X_GOOG_API_KEY = HttpHeaders.createOptimized("x-goog-api-key");
  private static final CharSequence API_KEY = HttpHeaders.createOptimized("api-key");
  private static final CharSequence ANTHROPIC_VERSION_HEADER = HttpHeaders.createOptimized("anthropic-version");

  private final String id;
  private final Protocol protocol;

  UpstreamType(String id, Protocol protocol) {
    this.id = id;
    this.protocol = protocol;
  }

  public String id() {
    return id;
  }

  public Protocol protocol() {
    return protocol;
  }

  /** The vendor's own base URL, used when a channel names none; null when there is no single one. */
  public String defaultBaseUrl() {
    return switch (this) {
      case OPENAI, OPENAI_RESPONSES -> "https://api.openai.com/v1";
      case ANTHROPIC -> "https://api.anthropic.com/v1";
      case GEMINI -> "https://generativelanguage.googleapis.com/v1beta";
      case AZURE_OPENAI -> null;
    };
  }

  /** The type with this configuration id, or null. */
  public static UpstreamType of(String id) {
    if (id == null) return null;
    String wanted = id.toLowerCase(Locale.ROOT);
    for (UpstreamType t : values()) {
      if (t.id.equals(wanted)) return t;
    }
    return null;
  }

  /** The ids, for messages: {@code openai, openai-responses, ...}. */
  public static String ids() {
    return Arrays.stream(values()).map(UpstreamType::id).collect(Collectors.joining(", "));
  }

  /**
   * The URL of an operation: {@code baseUrl} as configured (no trailing slash) plus this type's
   * path. Null when this type has no such operation.
   */
  public String url(String baseUrl, Operation op, String model, boolean stream) {
    return switch (this) {
      case OPENAI -> switch (op) {
        case GENERATE -> baseUrl + "/chat/completions";
        case EMBED, BATCH_EMBED -> baseUrl + "/embeddings";
        case COUNT_TOKENS -> null;
      };
      case OPENAI_RESPONSES -> switch (op) {
        case GENERATE -> baseUrl + "/responses";
        case EMBED, BATCH_EMBED -> baseUrl + "/embeddings";
        case COUNT_TOKENS -> null;
      };
      case ANTHROPIC -> switch (op) {
        case GENERATE -> baseUrl + "/messages";
        case COUNT_TOKENS -> baseUrl + "/messages/count_tokens";
        case EMBED, BATCH_EMBED -> null;
      };
      case GEMINI -> baseUrl + "/models/" + encode(model) + switch (op) {
        case GENERATE -> stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        case COUNT_TOKENS -> ":countTokens";
        case EMBED -> ":embedContent";
        case BATCH_EMBED -> ":batchEmbedContents";
      };
      case AZURE_OPENAI -> azure(baseUrl, model, op);
    };
  }

  /** Puts the credential where this type expects it, plus the headers the vendor requires. */
  public void authorize(MultiMap headers, String secret) {
    boolean hasSecret = secret != null && !secret.isEmpty();
    switch (this) {
      case OPENAI, OPENAI_RESPONSES -> {
        if (hasSecret) headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + secret);
      }
      case ANTHROPIC -> {
        if (hasSecret) headers.set(X_API_KEY, secret);
        if (!headers.contains(ANTHROPIC_VERSION_HEADER)) headers.set(ANTHROPIC_VERSION_HEADER, ANTHROPIC_VERSION);
      }
      case GEMINI -> {
        if (hasSecret) headers.set(X_GOOG_API_KEY, secret);
      }
      case AZURE_OPENAI -> {
        if (hasSecret) headers.set(API_KEY, secret);
      }
    }
  }

  private static String azure(String baseUrl, String deployment, Operation op) {
    String resource = baseUrl;
    String version = AZURE_API_VERSION;
    int q = baseUrl.indexOf('?');
    if (q >= 0) {
      resource = baseUrl.substring(0, q);
      for (String pair : baseUrl.substring(q + 1).split("&")) {
        if (pair.startsWith("api-version=") && pair.length() > 12) version = pair.substring(12);
      }
    }
    if (resource.endsWith("/")) resource = resource.substring(0, resource.length() - 1);
    if (!resource.endsWith("/openai")) resource = resource + "/openai";
    String action = switch (op) {
      case GENERATE -> "/chat/completions";
      case EMBED, BATCH_EMBED -> "/embeddings";
      case COUNT_TOKENS -> null;
    };
    if (action == null) return null;
    return resource + "/deployments/" + encode(deployment) + action + "?api-version=" + encode(version);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
