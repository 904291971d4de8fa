package dev.switchboard.translate.responses;

import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.responses.Response;
import io.vertx.core.json.JsonObject;

/** What openai-java makes of the objects the gateway writes: parsed and validated, or an assertion error. */
final class ResponsesSdk {

  private ResponsesSdk() {}

  static Response parseResponse(JsonObject json) {
    try {
      return ObjectMappers.jsonMapper().readValue(json.encode(), Response.class).validate();
    } catch (Exception e) {
      throw new AssertionError("openai-java rejects the Response " + json.encode() + ": " + e, e);
    }
  }

  static ChatCompletion parseCompletion(JsonObject json) {
    try {
      return ObjectMappers.jsonMapper().readValue(json.encode(), ChatCompletion.class).validate();
    } catch (Exception e) {
      throw new AssertionError("openai-java rejects the completion " + json.encode() + ": " + e, e);
    }
  }
}
