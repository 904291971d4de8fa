package dev.switchboard.edge;

import dev.switchboard.testing.Sse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Request bodies and stream readers shared by the end-to-end tests. */
final class Chat {

  static final String CLIENT_KEY = "sk-client-e2e-000000000000000001";
  static final String OTHER_KEY = "sk-client-e2e-000000000000000002";
  static final String MODEL = "gpt-4o";
  static final String MOCK_CONTENT = "Hello from the mock upstream";

  private Chat() {}

  static JsonObject request(String model) {
    return new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Say hello")));
  }

  static JsonObject streamRequest(String model) {
    return request(model).put("stream", true);
  }

  /** The assistant text a chat completions stream carried, from its content deltas. */
  static String content(List<JsonObject> chunks) {
    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks) {
      JsonArray choices = chunk.getJsonArray("choices");
      if (choices == null || choices.isEmpty()) continue;
      JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
      if (delta != null && delta.getString("content") != null) text.append(delta.getString("content"));
    }
    return text.toString();
  }

  /** The content of a whole stream body that must end with {@code [DONE]}. */
  static String streamedContent(String body) {
    return content(Sse.chunks(body));
  }
}
