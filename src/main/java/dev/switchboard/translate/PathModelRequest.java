package dev.switchboard.translate;

import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.json.TopLevelJson;
import dev.switchboard.upstream.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;

/**
 * A request that names its model and streaming in the URL, not the body (Gemini:
 * {@code /v1beta/models/{model}:streamGenerateContent}). The body goes to a Gemini upstream
 * untouched; the upstream model goes into that upstream's URL.
 */
public final class PathModelRequest implements ParsedRequest {

  private final Buffer body;
  private final String model;
  private final boolean stream;

  private PathModelRequest(Buffer body, String model, boolean stream) {
    this.body = body;
    this.model = model;
    this.stream = stream;
  }

  /** Checks that the body is one JSON object. */
  public static PathModelRequest parse(Buffer body, String model, boolean stream) throws MalformedJsonException {
    if (model == null || model.isBlank()) {
      throw new MalformedJsonException("the model is missing from the path");
    }
    TopLevelJson.scan(body, Set.of());
    return new PathModelRequest(body, model, stream);
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
    return UpstreamBody.of(List.of(body));
  }
}
