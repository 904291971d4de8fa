package dev.switchboard.testing;

import dev.switchboard.demo.OpenAiWire;
import dev.switchboard.testing.wire.AnthropicWire;
import dev.switchboard.testing.wire.ChatWire;
import dev.switchboard.testing.wire.GeminiWire;
import dev.switchboard.testing.wire.ResponsesWire;
import dev.switchboard.testing.wire.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Where a mock request goes: the protocol, the kind of endpoint and, for Gemini and Azure, the
 * model or deployment named in the path. {@link #match} returns null for unknown routes. The
 * other methods read a request the way the route's protocol does.
 */
record Route(Protocol protocol, Endpoint endpoint, String pathModel) {

  enum Endpoint { GENERATE, STREAM_GENERATE, COUNT_TOKENS, EMBED, BATCH_EMBED, MODELS }

  private static final String AZURE_PREFIX = "/openai/deployments/";
  private static final String GEMINI_PREFIX = "/v1beta/models/";

  /** {@code anthropic} tells an Anthropic {@code GET /v1/models} from an OpenAI one. */
  static Route match(HttpMethod method, String path, boolean anthropic) {
    if (method == HttpMethod.GET) {
      return switch (path) {
        case "/v1/models" ->
            new Route(anthropic ? Protocol.ANTHROPIC : Protocol.OPENAI, Endpoint.MODELS, null);
        case "/v1beta/models" -> new Route(Protocol.GEMINI, Endpoint.MODELS, null);
        default -> null;
      };
    }
    if (method != HttpMethod.POST) {
      return null;
    }
    return switch (path) {
      case "/v1/chat/completions" -> new Route(Protocol.OPENAI, Endpoint.GENERATE, null);
      case "/v1/embeddings" -> new Route(Protocol.OPENAI, Endpoint.EMBED, null);
      case "/v1/responses" -> new Route(Protocol.OPENAI_RESPONSES, Endpoint.GENERATE, null);
      case "/v1/messages" -> new Route(Protocol.ANTHROPIC, Endpoint.GENERATE, null);
      case "/v1/messages/count_tokens" ->
          new Route(Protocol.ANTHROPIC, Endpoint.COUNT_TOKENS, null);
      default -> path.startsWith(AZURE_PREFIX) ? azure(path.substring(AZURE_PREFIX.length()))
          : path.startsWith(GEMINI_PREFIX) ? gemini(path.substring(GEMINI_PREFIX.length()))
          : null;
    };
  }

  /** The answer builder; Gemini streams are SSE only with {@code alt=sse}. */
  Wire wire(String query) {
    return switch (protocol) {
      case OPENAI, AZURE_OPENAI -> new ChatWire();
      case OPENAI_RESPONSES -> new ResponsesWire();
      case ANTHROPIC -> new AnthropicWire();
      case GEMINI -> new GeminiWire(query != null && ("&" + query + "&").contains("&alt=sse&"));
    };
  }

  /**
   * What the real service refuses before looking at the request, or null: Azure without an
   * {@code api-key} (401) or an {@code api-version} (404), Anthropic without
   * {@code anthropic-version} (400).
   */
  Wire.Failure precheck(Wire wire, HttpServerRequest req) {
    if (protocol == Protocol.AZURE_OPENAI) {
      if (req.getHeader("api-key") == null) {
        return unauthorized(wire, "Access denied due to invalid subscription key or wrong API "
            + "endpoint. Make sure to provide a valid key for an active subscription and use a "
            + "correct regional API endpoint for your resource.");
      }
      if (req.getParam("api-version") == null) {
        return new Wire.Failure(404, ChatWire.azureError(404, "Resource not found"), null);
      }
    }
    if (protocol == Protocol.ANTHROPIC && req.getHeader("anthropic-version") == null) {
      return wire.failure(400, "anthropic-version: header is required", -1);
    }
    return null;
  }

  /** 401 in the protocol's envelope (Azure's own for Azure). */
  Wire.Failure unauthorized(Wire wire, String message) {
    return protocol == Protocol.AZURE_OPENAI
        ? new Wire.Failure(401, ChatWire.azureError(401, message), null)
        : wire.failure(401, message, -1);
  }

  /** Whether a generate request asked for a stream. */
  boolean streams(JsonObject body) {
    return endpoint == Endpoint.STREAM_GENERATE
        || endpoint == Endpoint.GENERATE && Boolean.TRUE.equals(body.getValue("stream"));
  }

  /** OpenAI Chat only: whether the stream ends with a usage chunk. */
  boolean includeUsage(JsonObject body, boolean always) {
    if (protocol != Protocol.OPENAI && protocol != Protocol.AZURE_OPENAI) {
      return false;
    }
    return always || body.getValue("stream_options") instanceof JsonObject o
        && Boolean.TRUE.equals(o.getValue("include_usage"));
  }

  /** The prompt part of a request, for usage estimates. */
  String promptText(JsonObject body) {
    return String.valueOf(body.getValue(switch (protocol) {
      case GEMINI -> "contents";
      case OPENAI_RESPONSES -> "input";
      default -> "messages";
    }));
  }

  /** The 200 body of a non-generating endpoint: token counts and embeddings. */
  Buffer utility(JsonObject body) {
    return switch (endpoint) {
      case COUNT_TOKENS -> protocol == Protocol.GEMINI
          ? GeminiWire.countTokens(OpenAiWire.estimateTokens(promptText(body)))
          : AnthropicWire.countTokens(OpenAiWire.estimateTokens(promptText(body)));
      case EMBED -> protocol == Protocol.GEMINI
          ? GeminiWire.embedContent(body) : ChatWire.embeddings(body);
      case BATCH_EMBED -> GeminiWire.batchEmbedContents(body);
      default -> throw new IllegalStateException("not a utility endpoint: " + endpoint);
    };
  }

  private static Route azure(String rest) {
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    Endpoint endpoint = switch (rest.substring(slash)) {
      case "/chat/completions" -> Endpoint.GENERATE;
      case "/embeddings" -> Endpoint.EMBED;
      default -> null;
    };
    return endpoint == null ? null
        : new Route(Protocol.AZURE_OPENAI, endpoint, rest.substring(0, slash));
  }

  private static Route gemini(String rest) {
    String decoded = rest.replace("%3A", ":").replace("%3a", ":");
    int colon = decoded.lastIndexOf(':');
    if (colon <= 0 || decoded.indexOf('/') >= 0) {
      return null;
    }
    Endpoint endpoint = switch (decoded.substring(colon + 1)) {
      case "generateContent" -> Endpoint.GENERATE;
      case "streamGenerateContent" -> Endpoint.STREAM_GENERATE;
      case "countTokens" -> Endpoint.COUNT_TOKENS;
      case "embedContent" -> Endpoint.EMBED;
      case "batchEmbedContents" -> Endpoint.BATCH_EMBED;
      default -> null;
    };
    return endpoint == null ? null
        : new Route(Protocol.GEMINI, endpoint, decoded.substring(0, colon));
  }
}
