package dev.switchboard.translate;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.json.TopLevelJson;
import dev.switchboard.upstream.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;

/**
 * A request whose model and stream flag are top-level fields of its body (Anthropic Messages,
 * OpenAI Responses, embeddings), read without building a tree. For an upstream of the same
 * protocol only {@code model} is rewritten; every other byte is the client's, sliced.
 */
public final class TopLevelRequest implements ParsedRequest {

  private static final Set<String> FIELDS = Set.of("model", "stream");

  private final Buffer body;
  private final TopLevelJson.Scan scan;
  private final TopLevelJson.Field modelField;
  private final String model;
  private final boolean stream;

  private TopLevelRequest(Buffer body, TopLevelJson.Scan scan, TopLevelJson.Field modelField, boolean stream) {
    this.body = body;
    this.scan = scan;
    this.modelField = modelField;
    this.model = modelField.text();
    this.stream = stream;
  }

  /**
   * @param required a top-level field that must be present (for example {@code messages}), or
   *     null
   */
  public static TopLevelRequest parse(Buffer body, String required) throws MalformedJsonException {
    return parse(body, required, Set.of());
  }

  /** As {@link #parse(Buffer, String)}, also keeping the top-level string fields {@code extras} for {@link #text}. */
  public static TopLevelRequest parse(Buffer body, String required, Set<String> extras) throws MalformedJsonException {
    Set<String> wanted = new java.util.HashSet<>(FIELDS);
    if (required != null) wanted.add(required);
    wanted.addAll(extras);
    TopLevelJson.Scan scan = TopLevelJson.scan(body, wanted);
    TopLevelJson.Field model = scan.get("model");
    if (model == null || model.token() != JsonToken.VALUE_STRING || model.text().isBlank()) {
      throw new MalformedJsonException("'model' is required and must be a non-empty string");
    }
    if (required != null && scan.get(required) == null) {
      throw new MalformedJsonException("'" + required + "' is required");
    }
    TopLevelJson.Field stream = scan.get("stream");
    boolean streaming = false;
    if (stream != null && stream.token() != JsonToken.VALUE_NULL) {
      if (stream.token() != JsonToken.VALUE_TRUE && stream.token() != JsonToken.VALUE_FALSE) {
        throw new MalformedJsonException("'stream' must be a boolean");
      }
      streaming = stream.token() == JsonToken.VALUE_TRUE;
    }
    return new TopLevelRequest(body, scan, model, streaming);
  }

  /** A top-level string field named when parsing, or null. */
  public String text(String name) {
    TopLevelJson.Field f = scan.get(name);
    return f == null || f.token() != JsonToken.VALUE_STRING ? null : f.text();
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public boolean stream() {
    return stream;
  }

  @Override
  public Buffer body() {
    return body;
  }

  @Override
  public UpstreamBody forUpstream(String upstreamModel) {
    if (upstreamModel.equals(model)) {
      return UpstreamBody.of(List.of(body));
    }
    Buffer name = Buffer.buffer("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(upstreamModel)) + "\"");
    return UpstreamBody.of(List.of(body.slice(0, modelField.start()), name, body.slice(modelField.end(), body.length())));
  }
}
