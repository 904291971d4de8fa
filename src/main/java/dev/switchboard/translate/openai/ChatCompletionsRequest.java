package dev.switchboard.translate.openai;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.switchboard.json.MalformedJsonException;
import dev.switchboard.json.TopLevelJson;
import dev.switchboard.translate.ParsedRequest;
import dev.switchboard.upstream.UpstreamBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the edge needs from an OpenAI Chat Completions request body, read without a tree: the
 * model, whether it streams, whether the client asked for usage. Rewrites for the upstream
 * touch only {@code model} and {@code stream_options}.
 */
public final class ChatCompletionsRequest implements ParsedRequest {

  private static final Set<String> FIELDS = Set.of("model", "stream", "stream_options", "messages");
  private static final Buffer FORCE_USAGE = Buffer.buffer(",\"stream_options\":{\"include_usage\":true}");

  private final Buffer body;
  private final TopLevelJson.Scan scan;
  private final String model;
  private final boolean stream;
  private final boolean clientWantsUsage;

  private ChatCompletionsRequest(Buffer body, TopLevelJson.Scan scan, String model, boolean stream, boolean clientWantsUsage) {
    this.body = body;
    this.scan = scan;
    this.model = model;
    this.stream = stream;
    this.clientWantsUsage = clientWantsUsage;
  }

  public static ChatCompletionsRequest parse(Buffer body) throws MalformedJsonException {
    TopLevelJson.Scan scan = TopLevelJson.scan(body, FIELDS);
    TopLevelJson.Field model = scan.get("model");
    if (model == null || model.token() != JsonToken.VALUE_STRING || model.text().isBlank()) {
      throw new MalformedJsonException("'model' is required and must be a non-empty string");
    }
    TopLevelJson.Field messages = scan.get("messages");
    if (messages == null || messages.token() != JsonToken.START_ARRAY) {
      throw new MalformedJsonException("'messages' is required and must be an array");
    }
    TopLevelJson.Field stream = scan.get("stream");
    boolean streaming = false;
    if (stream != null && stream.token() != JsonToken.VALUE_NULL) {
      if (stream.token() != JsonToken.VALUE_TRUE && stream.token() != JsonToken.VALUE_FALSE) {
        throw new MalformedJsonException("'stream' must be a boolean");
      }
      streaming = stream.token() == JsonToken.VALUE_TRUE;
    }
    boolean wantsUsage = false;
    TopLevelJson.Field options = scan.get("stream_options");
    if (options != null && options.token() == JsonToken.START_OBJECT) {
      wantsUsage = Boolean.TRUE.equals(streamOptions(body, options).getValue("include_usage"));
    } else if (options != null && options.token() != JsonToken.VALUE_NULL) {
      throw new MalformedJsonException("'stream_options' must be an object");
    }
    return new ChatCompletionsRequest(body, scan, model.text(), streaming, wantsUsage);
  }

  @Override
  public Buffer body() {
    return body;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public boolean stream() {
    return stream;
  }

  /** True when the client's own request asked for the usage chunk at the end of the stream. */
  @Override
  public boolean clientWantsUsage() {
    return clientWantsUsage;
  }

  /**
   * The body for the upstream: the model renamed if needed and, for streams, usage switched on
   * so it is always known. Every other byte is the client's, sliced, not copied.
   */
  @Override
  public UpstreamBody forUpstream(String upstreamModel) {
    List<Edit> edits = new ArrayList<>(2);
    TopLevelJson.Field modelField = scan.get("model");
    if (!upstreamModel.equals(model)) {
      edits.add(new Edit(modelField.start(), modelField.end(), jsonString(upstreamModel)));
    }
    if (stream && !clientWantsUsage) {
      TopLevelJson.Field options = scan.get("stream_options");
      if (options == null || options.token() == JsonToken.VALUE_NULL) {
        if (options != null) {
          edits.add(new Edit(options.start(), options.end(), Buffer.buffer("{\"include_usage\":true}")));
        } else {
          edits.add(new Edit(scan.closingBrace(), scan.closingBrace(), FORCE_USAGE));
        }
      } else {
        JsonObject rewritten = streamOptions(body, options).put("include_usage", true);
        edits.add(new Edit(options.start(), options.end(), rewritten.toBuffer()));
      }
    }
    edits.sort((a, b) -> Integer.compare(a.start, b.start));
    List<Buffer> parts = new ArrayList<>(edits.size() * 2 + 1);
    int pos = 0;
    for (Edit e : edits) {
      if (e.start > pos) parts.add(body.slice(pos, e.start));
      parts.add(e.replacement);
      pos = e.end;
    }
    if (pos < body.length()) parts.add(body.slice(pos, body.length()));
    return UpstreamBody.of(parts);
  }

  private static JsonObject streamOptions(Buffer body, TopLevelJson.Field options) {
    try {
      return new JsonObject(body.slice(options.start(), options.end()));
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }

  private static Buffer jsonString(String s) {
    return Buffer.buffer("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"");
  }

  private record Edit(int start, int end, Buffer replacement) {}
}
