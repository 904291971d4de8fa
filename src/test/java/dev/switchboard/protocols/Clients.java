package dev.switchboard.protocols;

import dev.switchboard.testing.Sse;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What each client protocol sends and how its answers read, as raw HTTP: the request for one
 * user turn, and the text of a whole or streamed answer. Used by the protocol matrix.
 */
enum Clients {

  CHAT {
    @Override
    String path(String model, boolean stream) {
      return "/v1/chat/completions";
    }

    @Override
    JsonObject body(String model, boolean stream) {
      return new JsonObject().put("model", model).put("stream", stream)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    }

    @Override
    String text(JsonObject answer) {
      return answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    }

    @Override
    String streamedText(String body) {
      StringBuilder sb = new StringBuilder();
      for (JsonObject chunk : Sse.chunks(body)) {
        JsonArray choices = chunk.getJsonArray("choices");
        if (choices == null || choices.isEmpty()) continue;
        JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
        if (delta != null && delta.getString("content") != null) sb.append(delta.getString("content"));
      }
      return sb.toString();
    }
  },

  MESSAGES {
    @Override
    String path(String model, boolean stream) {
      return "/v1/messages";
    }

    @Override
    JsonObject body(String model, boolean stream) {
      return new JsonObject().put("model", model).put("max_tokens", 100).put("stream", stream)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    }

    @Override
    MultiMap headers(String key) {
      return MultiMap.caseInsensitiveMultiMap().add("x-api-key", key).add("anthropic-version", "2023-06-01");
    }

    @Override
    String text(JsonObject answer) {
      StringBuilder sb = new StringBuilder();
      for (Object block : answer.getJsonArray("content")) {
        JsonObject b = (JsonObject) block;
        if ("text".equals(b.getString("type"))) sb.append(b.getString("text"));
      }
      return sb.toString();
    }

    @Override
    String streamedText(String body) {
      StringBuilder sb = new StringBuilder();
      boolean stopped = false;
      for (Sse.Event e : Sse.events(body)) {
        JsonObject data = new JsonObject(e.data());
        if ("content_block_delta".equals(e.name()) && "text_delta".equals(data.getJsonObject("delta").getString("type"))) {
          sb.append(data.getJsonObject("delta").getString("text"));
        }
        if ("error".equals(e.name())) throw new AssertionError("stream error: " + body);
        stopped |= "message_stop".equals(e.name());
      }
      if (!stopped) throw new AssertionError("no message_stop: " + body);
      return sb.toString();
    }
  },

  GEMINI {
    @Override
    String path(String model, boolean stream) {
      return "/v1beta/models/" + model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    JsonObject body(String model, boolean stream) {
      return new JsonObject().put("contents", new JsonArray().add(new JsonObject().put("role", "user")
          .put("parts", new JsonArray().add(new JsonObject().put("text", "Hi")))));
    }

    @Override
    MultiMap headers(String key) {
      return MultiMap.caseInsensitiveMultiMap().add("x-goog-api-key", key);
    }

    @Override
    String text(JsonObject answer) {
      StringBuilder sb = new StringBuilder();
      JsonArray candidates = answer.getJsonArray("candidates");
      if (candidates == null || candidates.isEmpty()) return "";
      JsonObject content = candidates.getJsonObject(0).getJsonObject("content");
      if (content == null || content.getJsonArray("parts") == null) return "";
      for (Object part : content.getJsonArray("parts")) {
        JsonObject p = (JsonObject) part;
        if (p.getString("text") != null && !Boolean.TRUE.equals(p.getBoolean("thought"))) sb.append(p.getString("text"));
      }
      return sb.toString();
    }

    @Override
    String streamedText(String body) {
      StringBuilder sb = new StringBuilder();
      boolean finished = false;
      for (Sse.Event e : Sse.events(body)) {
        JsonObject data = new JsonObject(e.data());
        if (data.getValue("error") != null) throw new AssertionError("stream error: " + body);
        sb.append(text(data));
        JsonArray candidates = data.getJsonArray("candidates");
        finished |= candidates != null && !candidates.isEmpty() && candidates.getJsonObject(0).getString("finishReason") != null;
      }
      if (!finished) throw new AssertionError("no finishReason: " + body);
      return sb.toString();
    }
  },

  RESPONSES {
    @Override
    String path(String model, boolean stream) {
      return "/v1/responses";
    }

    @Override
    JsonObject body(String model, boolean stream) {
      return new JsonObject().put("model", model).put("input", "Hi").put("stream", stream);
    }

    @Override
    String text(JsonObject answer) {
      StringBuilder sb = new StringBuilder();
      for (Object item : answer.getJsonArray("output")) {
        JsonObject i = (JsonObject) item;
        if (!"message".equals(i.getString("type"))) continue;
        for (Object part : i.getJsonArray("content")) {
          JsonObject p = (JsonObject) part;
          if ("output_text".equals(p.getString("type"))) sb.append(p.getString("text"));
        }
      }
      return sb.toString();
    }

    @Override
    String streamedText(String body) {
      StringBuilder sb = new StringBuilder();
      boolean completed = false;
      for (Sse.Event e : Sse.events(body)) {
        JsonObject data = new JsonObject(e.data());
        if ("response.output_text.delta".equals(e.name())) sb.append(data.getString("delta"));
        if ("error".equals(e.name()) || "response.failed".equals(e.name())) throw new AssertionError("stream error: " + body);
        completed |= "response.completed".equals(e.name());
      }
      if (!completed) throw new AssertionError("no response.completed: " + body);
      return sb.toString();
    }
  };

  abstract String path(String model, boolean stream);

  abstract JsonObject body(String model, boolean stream);

  /** The client key where this family's SDK puts it. */
  MultiMap headers(String key) {
    return MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + key);
  }

  /** The answer's text, from a whole answer. */
  abstract String text(JsonObject answer);

  /** The answer's text, from a whole streamed body; fails when the stream did not end properly. */
  abstract String streamedText(String body);
}
