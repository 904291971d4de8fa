package dev.switchboard.pricing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a model catalogue in models.dev's {@code api.json} format: providers by id, each with
 * {@code models} by id, each with an optional {@code cost} of {@code input}, {@code output},
 * {@code cache_read}, {@code cache_write} (a five-minute write), {@code reasoning} in currency
 * per million tokens. It has no one-hour cache write price: for Anthropic's own listings that is
 * twice the input price (Anthropic's published rule), elsewhere the five-minute price applies. Models are keyed by their id; when several providers list the same id,
 * the model's own vendor wins, else the first listing.
 */
public final class Catalogue {

  /** Vendors whose own listing of a model id wins over a reseller's. */
  private static final List<String> VENDORS = List.of("openai", "anthropic", "google", "mistral", "deepseek", "xai",
      "cohere", "moonshotai", "alibaba", "zhipuai", "meta", "amazon", "minimax");

  private Catalogue() {}

  /** A catalogue that cannot be used: not JSON, not shaped like {@code api.json}, or pricing nothing. */
  public static final class MalformedCatalogueException extends RuntimeException {
    MalformedCatalogueException(String message) {
      super(message, null, false, false);
    }
  }

  /** Model id to price; entries with a missing or unreadable cost are left out. */
  public static Map<String, ModelPrice> parse(Buffer body) {
    JsonObject root;
    try {
      root = new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      throw new MalformedCatalogueException("not a JSON object");
    }
    Map<String, ModelPrice> prices = new HashMap<>();
    Map<String, Integer> rank = new HashMap<>();
    int providers = 0;
    for (String providerId : root.fieldNames()) {
      if (!(root.getValue(providerId) instanceof JsonObject provider)) continue;
      if (!(provider.getValue("models") instanceof JsonObject models)) continue;
      providers++;
      int vendorRank = VENDORS.indexOf(providerId);
      int providerRank = vendorRank < 0 ? Integer.MAX_VALUE : vendorRank;
      for (String modelId : models.fieldNames()) {
        if (!(models.getValue(modelId) instanceof JsonObject model)) continue;
        ModelPrice price = price(model.getValue("cost"), "anthropic".equals(providerId));
        if (price == null) continue;
        Integer seen = rank.get(modelId);
        if (seen == null || providerRank < seen) {
          prices.put(modelId, price);
          rank.put(modelId, providerRank);
        }
      }
    }
    if (providers == 0) {
      throw new MalformedCatalogueException("no provider with a models object");
    }
    if (prices.isEmpty()) {
      throw new MalformedCatalogueException("no model with a usable cost");
    }
    return prices;
  }

  private static ModelPrice price(Object cost, boolean anthropic) {
    if (!(cost instanceof JsonObject c)) return null;
    try {
      BigDecimal input = number(c.getValue("input"));
      BigDecimal output = number(c.getValue("output"));
      if (input == null || output == null) return null;
      BigDecimal write5m = number(c.getValue("cache_write"));
      // the catalogue has no 1-hour write price; Anthropic's is twice the base input price
      BigDecimal write1h = anthropic && write5m != null ? input.multiply(BigDecimal.valueOf(2)) : null;
      return new ModelPrice(input, output, number(c.getValue("cache_read")), write5m, write1h,
          number(c.getValue("reasoning")));
    } catch (IllegalArgumentException e) {
      return null; // a negative or non-numeric price: this model stays unpriced by the catalogue
    }
  }

  private static BigDecimal number(Object v) {
    if (v == null) return null;
    if (v instanceof Number n) {
      // the decimal as written: Double.toString is the shortest representation of the parsed value
      return new BigDecimal(n.toString());
    }
    throw new IllegalArgumentException("not a number");
  }
}
