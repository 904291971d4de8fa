package dev.switchboard.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code ?limit&offset&sort&q} over a list already in memory (users, keys, channels are small
 * tables); the audit log pages in the database instead. Answers {@code {items,total,limit,offset}}.
 */
final class Paging {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  final int limit;
  final int offset;

  private Paging(int limit, int offset) {
    this.limit = limit;
    this.offset = offset;
  }

  static Paging of(Call call) {
    return new Paging(number(call, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT), number(call, "offset", 0, 0, Integer.MAX_VALUE));
  }

  private static int number(Call call, String name, int dflt, int min, int max) {
    String raw = call.query(name);
    if (raw == null) return dflt;
    try {
      int n = Integer.parseInt(raw.trim());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ApiError.invalid(name, "must be a whole number between " + min + " and " + max);
  }

  /**
   * Filters by {@code q} (case-insensitive substring of {@code searchable}), sorts by
   * {@code ?sort=field} or {@code -field} (one of {@code sorts}), pages and renders.
   */
  static <T> JsonObject page(Call call, List<T> all, Function<T, String> searchable, Map<String, Comparator<T>> sorts,
      String defaultSort, Function<T, JsonObject> render) {
    Paging paging = of(call);
    String q = call.query("q");
    Predicate<T> match = q == null || q.isEmpty() ? t -> true
        : t -> searchable.apply(t).toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));
    String sort = call.query("sort") == null ? defaultSort : call.query("sort");
    boolean descending = sort.startsWith("-");
    Comparator<T> order = sorts.get(descending ? sort.substring(1) : sort);
    if (order == null) {
      throw ApiError.invalid("sort", "must be one of " + String.join(", ", sorts.keySet()) + ", optionally prefixed with -");
    }
    List<T> matching = new ArrayList<>(all.stream().filter(match).toList());
    matching.sort(descending ? order.reversed() : order);
    JsonArray items = new JsonArray();
    matching.stream().skip(paging.offset).limit(paging.limit).forEach(t -> items.add(render.apply(t)));
    return paging.wrap(items, matching.size());
  }

  JsonObject wrap(JsonArray items, long total) {
    return new JsonObject().put("items", items).put("total", total).put("limit", limit).put("offset", offset);
  }
}
