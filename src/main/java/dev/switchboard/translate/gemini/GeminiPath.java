package dev.switchboard.translate.gemini;

/**
 * What a Gemini URL says that the body does not: the model and whether the answer streams
 * ({@code gemini.md} §1). {@code /v1beta/models/<model>:generateContent} and
 * {@code :streamGenerateContent} (which streams SSE only with {@code ?alt=sse}; without it Gemini
 * streams one JSON array, a framing this gateway does not speak).
 */
public record GeminiPath(String model, boolean stream) {

  private static final String MODELS = "/models/";

  /** The model and mode of a request path (query string allowed), or null when it is not a generate call. */
  public static GeminiPath parse(String path) {
    if (path == null) return null;
    int query = path.indexOf('?');
    String p = query < 0 ? path : path.substring(0, query);
    int models = p.indexOf(MODELS);
    int colon = p.lastIndexOf(':');
    if (models < 0 || colon < models + MODELS.length() + 1) return null;
    String model = p.substring(models + MODELS.length(), colon);
    if (model.isEmpty() || model.indexOf('/') >= 0) return null;
    return switch (p.substring(colon + 1)) {
      case "generateContent" -> new GeminiPath(model, false);
      case "streamGenerateContent" -> new GeminiPath(model, true);
      default -> null;
    };
  }

  /** The upstream path for a model: {@code :streamGenerateContent?alt=sse} for a stream; a {@code models/} prefix is not doubled. */
  public static String of(String model, boolean stream) {
    String id = model.startsWith("models/") ? model.substring(7) : model;
    return "/v1beta/models/" + id + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  }
}
