package dev.switchboard.testing.wire;

import dev.switchboard.demo.OpenAiWire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini answers ({@code shared/protocols/gemini.md} sections 5 to 8). A stream is a series of
 * complete {@code GenerateContentResponse} chunks with delta parts; the last carries
 * {@code finishReason} and the final usage, and nothing follows it. With {@code alt=sse} each
 * chunk is a {@code data:} event; without, the chunks are the elements of one JSON array.
 *
 * <p>The thought signature sits on the first part after the thoughts: the first
 * {@code functionCall} when there are calls, otherwise the first text part.
 */
public final class GeminiWire implements Wire {

  private final boolean sse;

  /** {@code sse}: frame a stream as {@code data:} events rather than a JSON array. */
  public GeminiWire(boolean sse) {
    this.sse = sse;
  }

  @Override
  public Buffer message(Answer a) {
    JsonArray parts = new JsonArray();
    for (JsonObject part : thoughtParts(a, false)) {
      parts.add(part);
    }
    if (a.pieces().length > 0) {
      parts.add(new JsonObject().put("text", a.text()));
    }
    for (JsonObject part : callParts(a)) {
      parts.add(part);
    }
    if (a.hasThinking() && a.toolCalls().isEmpty()) {
      signFirstAnswerPart(a, parts);
    }
    return chunk(a, parts, true).toBuffer();
  }

  @Override
  public List<Buffer> stream(Answer a) {
    List<Buffer> head = new ArrayList<>();
    for (JsonObject thought : thoughtParts(a, true)) {
      head.add(frame(head.size(), chunk(a, new JsonArray().add(thought), false).encode(), false));
    }
    List<JsonObject> tail = new ArrayList<>();
    for (JsonObject call : callParts(a)) {
      tail.add(chunk(a, new JsonArray().add(call), false));
    }
    JsonObject last = new JsonObject().put("text", "");
    if (a.hasThinking() && a.toolCalls().isEmpty() && a.pieces().length == 0) {
      last.put("thoughtSignature", a.signature());
    }
    tail.add(chunk(a, new JsonArray().add(last), true));
    int first = head.size() + a.pieces().length;
    List<Buffer> framedTail = new ArrayList<>(tail.size());
    for (int i = 0; i < tail.size(); i++) {
      framedTail.add(frame(first + i, tail.get(i).encode(), i == tail.size() - 1));
    }
    int thoughts = head.size();
    return Wire.lazy(head, a.pieces(), i -> frame(thoughts + i, textChunk(a, i).encode(), false),
        framedTail);
  }

  /** Text piece {@code i}; the first carries the signature when no call does. */
  private static JsonObject textChunk(Answer a, int i) {
    JsonObject part = new JsonObject().put("text", a.pieces()[i]);
    if (i == 0 && a.hasThinking() && a.toolCalls().isEmpty()) {
      part.put("thoughtSignature", a.signature());
    }
    return chunk(a, new JsonArray().add(part), false);
  }

  @Override
  public Buffer streamError(Answer a, int sent, int status, String message) {
    return frame(sent, envelope(status, message, -1).encode(), true);
  }

  @Override
  public List<Buffer> malformedStream() {
    String[] payloads = {"{not json", "{\"candidates\":[{\"content\":"};
    List<Buffer> events = new ArrayList<>();
    for (int i = 0; i < payloads.length; i++) {
      events.add(frame(i, payloads[i], i == payloads.length - 1));
    }
    return events;
  }

  @Override
  public Failure failure(int status, String message, int retryAfterSeconds) {
    // Gemini carries the retry hint in the body (google.rpc.RetryInfo), not in a header.
    return new Failure(status, envelope(status, message, retryAfterSeconds).toBuffer(), null);
  }

  @Override
  public String streamContentType() {
    return sse ? "text/event-stream" : "application/json";
  }

  /** The google.rpc status name for an HTTP status. */
  public static String statusName(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 500 -> "INTERNAL";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION";
    };
  }

  /** {@code {"error":{"code","message","status"[,"details"]}}}. */
  public static JsonObject envelope(int status, String message, int retryAfterSeconds) {
    JsonObject error = new JsonObject().put("code", status).put("message", message)
        .put("status", statusName(status));
    if (retryAfterSeconds >= 0) {
      error.put("details", new JsonArray().add(new JsonObject()
          .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
          .put("retryDelay", retryAfterSeconds + "s")));
    }
    return new JsonObject().put("error", error);
  }

  /** {@code GET /v1beta/models}. */
  public static Buffer models(List<String> ids) {
    return models(ids, null, ids.size() + 1);
  }

  /** One page of {@code GET /v1beta/models}: {@code pageSize} models from {@code pageToken} (an offset here), and the next token. */
  public static Buffer models(List<String> all, String pageToken, int pageSize) {
    int from = pageToken == null || pageToken.isEmpty() ? 0 : Integer.parseInt(pageToken);
    List<String> ids = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + pageSize));
    JsonArray models = new JsonArray();
    for (String id : ids) {
      models.add(new JsonObject().put("name", "models/" + id).put("version", "001")
          .put("displayName", id).put("inputTokenLimit", 1_048_576).put("outputTokenLimit", 65_536)
          .put("supportedGenerationMethods", new JsonArray()
              .add("generateContent").add("countTokens").add("embedContent")));
    }
    JsonObject page = new JsonObject().put("models", models);
    if (from + ids.size() < all.size()) page.put("nextPageToken", String.valueOf(from + ids.size()));
    return page.toBuffer();
  }

  /** {@code :countTokens}: {@code {"totalTokens": N}}. */
  public static Buffer countTokens(int tokens) {
    return new JsonObject().put("totalTokens", tokens).toBuffer();
  }

  /** {@code :embedContent}: {@code {"embedding":{"values":[...]}}}. */
  public static Buffer embedContent(JsonObject request) {
    return new JsonObject().put("embedding", embedding(request)).toBuffer();
  }

  /** {@code :batchEmbedContents}: one embedding per element of {@code requests}. */
  public static Buffer batchEmbedContents(JsonObject request) {
    JsonArray embeddings = new JsonArray();
    JsonArray requests = request.getJsonArray("requests", new JsonArray());
    for (int i = 0; i < requests.size(); i++) {
      embeddings.add(embedding(requests.getJsonObject(i)));
    }
    return new JsonObject().put("embeddings", embeddings).toBuffer();
  }

  private static JsonObject embedding(JsonObject request) {
    String content = String.valueOf(request.getValue("content"));
    return new JsonObject().put("values", ChatWire.vector(content));
  }

  /** A complete response chunk; {@code last} adds the finish reason and the final usage. */
  private static JsonObject chunk(Answer a, JsonArray parts, boolean last) {
    JsonObject candidate = new JsonObject()
        .put("content", new JsonObject().put("role", "model").put("parts", parts));
    if (last) {
      candidate.put("finishReason", "STOP");
    }
    candidate.put("index", 0);
    return new JsonObject().put("candidates", new JsonArray().add(candidate))
        .put("usageMetadata", last ? usage(a.usage()) : partialUsage(a.usage()))
        .put("modelVersion", a.model()).put("responseId", "mock-resp-" + a.id());
  }

  private static List<JsonObject> thoughtParts(Answer a, boolean perPiece) {
    List<JsonObject> parts = new ArrayList<>();
    if (perPiece) {
      for (String piece : a.thinking()) {
        parts.add(new JsonObject().put("text", piece).put("thought", true));
      }
    } else if (a.hasThinking()) {
      parts.add(new JsonObject().put("text", a.thinkingText()).put("thought", true));
    }
    return parts;
  }

  private static List<JsonObject> callParts(Answer a) {
    List<JsonObject> parts = new ArrayList<>();
    for (int i = 0; i < a.toolCalls().size(); i++) {
      ToolCall call = a.toolCalls().get(i);
      JsonObject part = new JsonObject().put("functionCall",
          new JsonObject().put("name", call.name()).put("args", call.arguments()));
      if (i == 0 && a.hasThinking()) {
        part.put("thoughtSignature", a.signature());
      }
      parts.add(part);
    }
    return parts;
  }

  private static void signFirstAnswerPart(Answer a, JsonArray parts) {
    for (int i = 0; i < parts.size(); i++) {
      JsonObject part = parts.getJsonObject(i);
      if (!part.getBoolean("thought", false)) {
        part.put("thoughtSignature", a.signature());
        return;
      }
    }
    parts.add(new JsonObject().put("text", "").put("thoughtSignature", a.signature()));
  }

  /** Final numbers: candidates exclude thoughts, the total includes them. */
  private static JsonObject usage(OpenAiWire.Usage u) {
    JsonObject usage = new JsonObject().put("promptTokenCount", u.promptTokens());
    if (u.cachedTokens() > 0) {
      usage.put("cachedContentTokenCount", u.cachedTokens());
    }
    usage.put("candidatesTokenCount", u.completionTokens() - u.reasoningTokens());
    if (u.reasoningTokens() > 0) {
      usage.put("thoughtsTokenCount", u.reasoningTokens());
    }
    return usage.put("totalTokenCount", u.totalTokens());
  }

  /** What intermediate chunks carry: the prompt count only (clients must replace, not sum). */
  private static JsonObject partialUsage(OpenAiWire.Usage u) {
    return new JsonObject().put("promptTokenCount", u.promptTokens())
        .put("totalTokenCount", u.promptTokens());
  }

  private Buffer frame(int index, String json, boolean last) {
    if (sse) {
      return Buffer.buffer("data: " + json + "\r\n\r\n");
    }
    return Buffer.buffer((index == 0 ? "[" : ",\r\n") + json + (last ? "]" : ""));
  }
}
