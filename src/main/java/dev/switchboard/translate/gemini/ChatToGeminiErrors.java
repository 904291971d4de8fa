package dev.switchboard.translate.gemini;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Gemini errors ({@code {error:{code, message, status, details}}}, sometimes inside a one-element
 * array, P28) in OpenAI's envelope ({@code {error:{message, type, param, code}}}), the upstream
 * message kept. The rpc status decides; the HTTP status only when it is missing or unknown. An
 * invalid API key comes as 400 {@code API_KEY_INVALID} and is told as an auth error (P27).
 */
final class ChatToGeminiErrors {

  private static final int MAX_MESSAGE = 2000;

  private ChatToGeminiErrors() {}

  static JsonObject envelope(int status, JsonObject upstream) {
    JsonObject err = error(upstream);
    String rpc = err.getValue("status") instanceof String s && !s.isEmpty() ? s
        : GeminiTables.rpcStatus(err.getValue("code") instanceof Number n ? n.intValue() : status);
    if (invalidKey(err)) rpc = "UNAUTHENTICATED";
    String message = err.getValue("message") instanceof String m && !m.isBlank() ? m
        : "The upstream failed with " + status + " (" + rpc + ").";
    return body(rpc, message);
  }

  /** The Gemini error object in a body, unwrapping the one-element array form; empty when there is none. */
  static JsonObject error(Object body) {
    if (body instanceof JsonArray list && list.size() == 1) body = list.getValue(0);
    return body instanceof JsonObject o && o.getValue("error") instanceof JsonObject e ? e : new JsonObject();
  }

  /** The status a Chat client should see: an invalid key is a 401 there, and 529 is no OpenAI status. */
  static int clientStatus(int upstreamStatus, JsonObject upstream) {
    if (invalidKey(error(upstream))) return 401;
    return upstreamStatus == 529 ? 503 : upstreamStatus;
  }

  static boolean invalidKey(JsonObject err) {
    if (!(err.getValue("details") instanceof JsonArray details)) return false;
    for (Object d : details) {
      if (d instanceof JsonObject detail && "API_KEY_INVALID".equals(detail.getValue("reason"))) return true;
    }
    return false;
  }

  /** The OpenAI envelope for a google.rpc status name and a message. */
  static JsonObject body(String rpcStatus, String message) {
    String[] typeAndCode = switch (rpcStatus == null ? "" : rpcStatus) {
      case "INVALID_ARGUMENT", "OUT_OF_RANGE" -> new String[] {"invalid_request_error", null};
      case "FAILED_PRECONDITION" -> new String[] {"invalid_request_error", "failed_precondition"};
      case "UNAUTHENTICATED" -> new String[] {"invalid_request_error", "invalid_api_key"};
      case "PERMISSION_DENIED" -> new String[] {"permission_error", null};
      case "NOT_FOUND" -> new String[] {"invalid_request_error", "model_not_found"};
      case "RESOURCE_EXHAUSTED" -> new String[] {"rate_limit_error", "rate_limit_exceeded"};
      case "UNAVAILABLE" -> new String[] {"server_error", "overloaded"};
      case "DEADLINE_EXCEEDED" -> new String[] {"server_error", "timeout"};
      default -> new String[] {"server_error", null}; // INTERNAL, UNKNOWN and anything new
    };
    String text = message == null || message.isBlank() ? "The upstream failed." : message;
    if (text.length() > MAX_MESSAGE) text = text.substring(0, MAX_MESSAGE);
    return new JsonObject().put("error", new JsonObject()
        .put("message", text)
        .put("type", typeAndCode[0])
        .putNull("param")
        .put("code", typeAndCode[1]));
  }

  static long retryAfterSeconds(JsonObject upstream) {
    if (!(error(upstream).getValue("details") instanceof JsonArray details)) return -1;
    for (Object d : details) {
      if (d instanceof JsonObject detail && String.valueOf(detail.getValue("@type")).endsWith("google.rpc.RetryInfo")
          && detail.getValue("retryDelay") instanceof String delay && delay.endsWith("s")) {
        try {
          double seconds = Double.parseDouble(delay.substring(0, delay.length() - 1));
          return seconds >= 0 ? (long) Math.ceil(seconds) : -1;
        } catch (NumberFormatException notADuration) {
          return -1;
        }
      }
    }
    return -1;
  }
}
