package dev.switchboard.translate.embed;

import io.vertx.core.json.JsonObject;

/** Error bodies between the OpenAI and Google envelopes, keeping the upstream's message. */
final class Errors {

  private Errors() {}

  static JsonObject openAi(int status, JsonObject google) {
    String message = google.getValue("error") instanceof JsonObject e && e.getValue("message") instanceof String m ? m : "upstream error " + status;
    String type = status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type).putNull("param")
        .put("code", google.getValue("error") instanceof JsonObject e && e.getValue("status") instanceof String s ? s : null));
  }

  static JsonObject gemini(int status, JsonObject openAi) {
    String message = openAi.getValue("error") instanceof JsonObject e && e.getValue("message") instanceof String m ? m : "upstream error " + status;
    String code = switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
    return new JsonObject().put("error", new JsonObject().put("code", status).put("message", message).put("status", code));
  }
}
