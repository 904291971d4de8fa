package dev.switchboard.translate;

import dev.switchboard.sse.ByteScan;
import dev.switchboard.stats.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Two directions joined at OpenAI Chat: {@code in} takes the client's protocol to Chat, {@code
 * out} takes Chat to the upstream's. Requests go through {@code in} then {@code out}; answers,
 * streams and errors come back through {@code out} then {@code in}. Chat carries the
 * extensions both sides understand ({@code reasoning_content}), so reasoning survives the hop;
 * what Chat cannot hold (an Anthropic thinking signature on its way to Gemini) does not.
 */
final class ComposedTranslation implements Translation {

  private final Translation in;
  private final Translation out;

  ComposedTranslation(Translation in, Translation out) {
    if (in.upstream() != Protocol.OPENAI_CHAT || out.client() != Protocol.OPENAI_CHAT) {
      throw new IllegalArgumentException("directions must meet at OpenAI Chat");
    }
    this.in = in;
    this.out = out;
  }

  @Override
  public Protocol client() {
    return in.client();
  }

  @Override
  public Protocol upstream() {
    return out.upstream();
  }

  @Override
  public JsonObject request(JsonObject clientRequest, String upstreamModel) {
    JsonObject chat = in.request(clientRequest, upstreamModel);
    if (Boolean.TRUE.equals(chat.getValue("stream"))) {
      // the far side must hand usage on, or the client's protocol never sees it
      JsonObject options = chat.getValue("stream_options") instanceof JsonObject o ? o : new JsonObject();
      chat.put("stream_options", options.put("include_usage", true));
    }
    return out.request(chat, upstreamModel);
  }

  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel) {
    return in.response(out.response(upstreamResponse, clientModel), clientModel);
  }

  @Override
  public JsonObject response(JsonObject upstreamResponse, String clientModel, JsonObject clientRequest) {
    return in.response(out.response(upstreamResponse, clientModel), clientModel, clientRequest);
  }

  @Override
  public StreamTranslator stream(String clientModel) {
    return stream(clientModel, true);
  }

  @Override
  public StreamTranslator stream(String clientModel, boolean includeUsage) {
    return new Chain(out.stream(clientModel, true), in.stream(clientModel, includeUsage));
  }

  @Override
  public StreamTranslator stream(String clientModel, boolean includeUsage, JsonObject clientRequest) {
    return new Chain(out.stream(clientModel, true), in.stream(clientModel, includeUsage, clientRequest));
  }

  @Override
  public JsonObject error(int upstreamStatus, JsonObject upstreamError) {
    return in.error(upstreamStatus, out.error(upstreamStatus, upstreamError));
  }

  /** Upstream events through {@code first} into Chat chunks, and those through {@code second}. */
  private static final class Chain implements StreamTranslator {
    private final StreamTranslator first;
    private final StreamTranslator second;
    private final List<Buffer> chat = new ArrayList<>(4);

    Chain(StreamTranslator first, StreamTranslator second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void onEvent(String event, Buffer data, List<Buffer> out) {
      first.onEvent(event, data, chat);
      forward(out);
    }

    @Override
    public void onEnd(List<Buffer> out) {
      first.onEnd(chat);
      forward(out);
      second.onEnd(out);
    }

    @Override
    public void onError(String message, List<Buffer> out) {
      // the client's side says it in its own words; the Chat hop has nothing to add
      second.onError(message, out);
    }

    private void forward(List<Buffer> out) {
      for (Buffer event : chat) {
        Buffer data = ByteScan.data(event);
        if (data != null) second.onEvent(ByteScan.eventName(event), data, out);
      }
      chat.clear();
    }

    @Override
    public Usage usage() {
      Usage u = first.usage();
      return u != null ? u : second.usage();
    }
  }
}
