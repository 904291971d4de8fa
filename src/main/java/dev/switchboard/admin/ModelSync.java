package dev.switchboard.admin;

import dev.switchboard.store.Channel;
import dev.switchboard.store.Credential;
import dev.switchboard.upstream.UpstreamType;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks a channel's upstream which models it serves, in the type's own listing: OpenAI's
 * {@code GET {base}/models}, Anthropic's {@code GET {base}/models} (paged by {@code after_id})
 * and Gemini's {@code GET {base}/models} (paged by {@code pageToken}), with one credential in the
 * type's auth headers. A refusal or a broken answer is a 502 whose message never holds the key.
 */
final class ModelSync {

  /** Pages followed at most: a listing that never ends is a broken upstream, not a long one. */
  static final int MAX_PAGES = 50;

  private final AdminUpstream upstream;

  ModelSync(AdminUpstream upstream) {
    this.upstream = upstream;
  }

  /** The upstream model ids, in the order listed, without repeats. */
  Future<List<String>> list(Channel channel, Credential credential) {
    UpstreamType type = UpstreamType.of(channel.type());
    if (type == null || type == UpstreamType.AZURE_OPENAI) {
      throw ApiError.of(400, "not_supported", "Channels of type " + channel.type()
          + " have no model listing to sync from (Azure lists deployments, which are named in the channel).");
    }
    String base = channel.baseUrls().isEmpty() ? type.defaultBaseUrl() : channel.baseUrls().get(0);
    String secret = credential == null ? null : credential.secret();
    return page(type, base + "/models", secret, null, new LinkedHashSet<>(), 0).map(List::copyOf);
  }

  private Future<Set<String>> page(UpstreamType type, String url, String secret, String cursor, Set<String> found, int pages) {
    String pageUrl = switch (type) {
      case ANTHROPIC -> url + "?limit=1000" + (cursor == null ? "" : "&after_id=" + encode(cursor));
      case GEMINI -> url + "?pageSize=1000" + (cursor == null ? "" : "&pageToken=" + encode(cursor));
      default -> url;
    };
    return fetch(pageUrl, type, secret).compose(body -> {
      String next = null;
      switch (type) {
        case ANTHROPIC -> {
          JsonArray data = body.getJsonArray("data", new JsonArray());
          ids(data, "id", "", found);
          if (body.getBoolean("has_more", false) && !data.isEmpty()) next = body.getString("last_id");
        }
        case GEMINI -> {
          ids(body.getJsonArray("models", new JsonArray()), "name", "models/", found);
          next = body.getString("nextPageToken");
          if (next != null && next.isEmpty()) next = null;
        }
        default -> ids(body.getJsonArray("data", new JsonArray()), "id", "", found);
      }
      if (next == null) return Future.succeededFuture(found);
      if (pages + 1 >= MAX_PAGES) {
        return Future.failedFuture(ApiError.of(502, "upstream_error", "The upstream's model listing has more than " + MAX_PAGES + " pages."));
      }
      return page(type, url, secret, next, found, pages + 1);
    });
  }

  private static void ids(JsonArray items, String field, String prefix, Set<String> found) {
    for (Object o : items) {
      if (o instanceof JsonObject m && m.getValue(field) instanceof String id && !id.isBlank()) {
        found.add(id.startsWith(prefix) ? id.substring(prefix.length()) : id);
      }
    }
  }

  private Future<JsonObject> fetch(String url, UpstreamType type, String secret) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    type.authorize(headers, secret);
    Future<HttpClientRequest> request;
    try {
      request = upstream.request(HttpMethod.GET, url, headers);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiError.of(400, "bad_base_url", "The channel's base URL is not a valid URL."));
    }
    return request
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> {
          int status = resp.statusCode();
          if (status < 200 || status >= 300) {
            throw ApiError.of(502, "upstream_error", ChannelProbe.shorten("The upstream refused the model listing with "
                + status + ": " + ChannelProbe.clean(ChannelProbe.upstreamMessage(b.toString()), secret)));
          }
          try {
            return new JsonObject(b);
          } catch (DecodeException | ClassCastException e) {
            throw ApiError.of(502, "upstream_error", "The upstream's model listing is not a JSON object.");
          }
        })))
        .recover(err -> Future.failedFuture(err instanceof ApiError ? err : ApiError.of(502, "upstream_error",
            ChannelProbe.shorten("No answer from the upstream: " + ChannelProbe.clean(String.valueOf(err.getMessage()), secret)))));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The channel's listed models that are names, not patterns. */
  static List<String> names(List<String> models) {
    List<String> out = new ArrayList<>();
    for (String m : models) if (!m.contains("*")) out.add(m);
    return out;
  }
}
