package dev.switchboard.translate.embed;

import dev.switchboard.translate.Protocol;
import dev.switchboard.translate.StreamTranslator;
import dev.switchboard.translate.Translation;
import dev.switchboard.translate.TranslationException;
import dev.switchboard.translate.gemini.ChatToGemini;
import dev.switchboard.translate.gemini.GeminiToChat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Embeddings between OpenAI ({@code POST /v1/embeddings}) and Gemini ({@code :embedContent},
 * {@code :batchEmbedContents}), both directions. Embeddings never stream.
 */
public final class Embeddings {

  /** Error bodies travel as they do for generation: the Gemini<->Chat directions' envelopes. */
  private static final Translation CHAT_TO_GEMINI = new ChatToGemini();
  private static final Translation GEMINI_TO_CHAT = new GeminiToChat();

  private Embeddings() {}

  /**
   * An OpenAI embeddings client in front of Gemini's {@code batchEmbedContents}; {@code base64}
   * when the client asked for {@code encoding_format: "base64"} (the OpenAI SDKs' default).
   */
  public static Translation openAiToGemini(boolean base64) {
    return new OpenAiToGemini(base64);
  }

  /** A Gemini {@code embedContent} ({@code batch} false) or {@code batchEmbedContents} client in front of OpenAI. */
  public static Translation geminiToOpenAi(boolean batch) {
    return new GeminiToOpenAi(batch);
  }

  private abstract static class Direction implements Translation {
    @Override
    public StreamTranslator stream(String clientModel) {
      throw new TranslationException("embeddings do not stream");
    }
  }

  private static final class OpenAiToGemini extends Direction {
    private final boolean base64;

    OpenAiToGemini(boolean base64) {
      this.base64 = base64;
    }

    @Override
    public Protocol client() {
      return Protocol.OPENAI_CHAT;
    }

    @Override
    public Protocol upstream() {
      return Protocol.GEMINI;
    }

    @Override
    public JsonObject request(JsonObject req, String upstreamModel) {
      Object input = req.getValue("input");
      List<String> texts = new ArrayList<>();
      if (input instanceof String s) {
        texts.add(s);
      } else if (input instanceof JsonArray a && !a.isEmpty()) {
        for (Object item : a) {
          if (!(item instanceof String s)) {
            throw new TranslationException("'input' must be a string or an array of strings for this model (token arrays are not supported)");
          }
          texts.add(s);
        }
      } else {
        throw new TranslationException("'input' must be a non-empty string or array of strings");
      }
      JsonArray requests = new JsonArray();
      for (String text : texts) {
        JsonObject one = new JsonObject().put("model", "models/" + upstreamModel)
            .put("content", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", text))));
        if (req.getValue("dimensions") instanceof Number n) one.put("outputDimensionality", n.intValue());
        requests.add(one);
      }
      return new JsonObject().put("requests", requests);
    }

    @Override
    public JsonObject response(JsonObject upstream, String clientModel) {
      return openAiList(upstream, clientModel, base64);
    }

    @Override
    public JsonObject error(int status, JsonObject upstreamError) {
      return CHAT_TO_GEMINI.error(status, upstreamError);
    }
  }

  private static final class GeminiToOpenAi extends Direction {
    private final boolean batch;

    GeminiToOpenAi(boolean batch) {
      this.batch = batch;
    }

    @Override
    public Protocol client() {
      return Protocol.GEMINI;
    }

    @Override
    public Protocol upstream() {
      return Protocol.OPENAI_CHAT;
    }

    @Override
    public JsonObject request(JsonObject req, String upstreamModel) {
      JsonArray input = new JsonArray();
      Integer dimensions = null;
      if (batch) {
        if (!(req.getValue("requests") instanceof JsonArray requests) || requests.isEmpty()) {
          throw new TranslationException("'requests' must be a non-empty array");
        }
        for (Object r : requests) {
          if (!(r instanceof JsonObject one)) throw new TranslationException("each of 'requests' must be an object");
          input.add(text(one.getValue("content")));
          if (one.getValue("outputDimensionality") instanceof Number n) dimensions = n.intValue();
        }
      } else {
        input.add(text(req.getValue("content")));
        if (req.getValue("outputDimensionality") instanceof Number n) dimensions = n.intValue();
      }
      JsonObject out = new JsonObject().put("model", upstreamModel).put("input", input).put("encoding_format", "float");
      if (dimensions != null) out.put("dimensions", dimensions);
      return out;
    }

    private static String text(Object content) {
      if (!(content instanceof JsonObject c) || !(c.getValue("parts") instanceof JsonArray parts)) {
        throw new TranslationException("'content.parts' is required");
      }
      StringBuilder sb = new StringBuilder();
      for (Object p : parts) {
        if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
          if (sb.length() > 0) sb.append('\n');
          sb.append(t);
        } else {
          throw new TranslationException("only text parts can be embedded by this model");
        }
      }
      return sb.toString();
    }

    @Override
    public JsonObject response(JsonObject upstream, String clientModel) {
      if (!(upstream.getValue("data") instanceof JsonArray data)) {
        throw new TranslationException("the upstream's answer has no 'data'");
      }
      JsonArray[] ordered = new JsonArray[data.size()];
      for (int i = 0; i < data.size(); i++) {
        if (!(data.getValue(i) instanceof JsonObject item)) throw new TranslationException("the upstream's embeddings are not objects");
        int index = item.getValue("index") instanceof Number n ? n.intValue() : i;
        if (index < 0 || index >= ordered.length || !(item.getValue("embedding") instanceof JsonArray values)) {
          throw new TranslationException("the upstream's embeddings are not float arrays");
        }
        ordered[index] = values;
      }
      if (!batch) {
        return new JsonObject().put("embedding", new JsonObject().put("values", ordered.length == 0 ? new JsonArray() : ordered[0]));
      }
      JsonArray embeddings = new JsonArray();
      for (JsonArray values : ordered) embeddings.add(new JsonObject().put("values", values));
      return new JsonObject().put("embeddings", embeddings);
    }

    @Override
    public JsonObject error(int status, JsonObject upstreamError) {
      return GEMINI_TO_CHAT.error(status, upstreamError);
    }
  }

  /** Gemini's batch answer as an OpenAI list, base64 as little-endian float32 as OpenAI sends it. */
  static JsonObject openAiList(JsonObject gemini, String clientModel, boolean base64) {
    if (!(gemini.getValue("embeddings") instanceof JsonArray embeddings)) {
      throw new TranslationException("the upstream's answer has no 'embeddings'");
    }
    JsonArray data = new JsonArray();
    for (int i = 0; i < embeddings.size(); i++) {
      if (!(embeddings.getValue(i) instanceof JsonObject e) || !(e.getValue("values") instanceof JsonArray values)) {
        throw new TranslationException("the upstream's embeddings are not float arrays");
      }
      data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", base64 ? base64(values) : values));
    }
    return new JsonObject().put("object", "list").put("data", data).put("model", clientModel)
        .put("usage", new JsonObject().put("prompt_tokens", 0).put("total_tokens", 0));
  }

  static String base64(JsonArray values) {
    ByteBuffer buf = ByteBuffer.allocate(values.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (Object v : values) {
      if (!(v instanceof Number n)) throw new TranslationException("the upstream's embeddings are not float arrays");
      buf.putFloat(n.floatValue());
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }
}
