package dev.switchboard.pricing;

import dev.switchboard.pricing.PriceVersion.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which new price versions a sync must store: only prices that are new or differ from the
 * latest stored version of the same level, channel and model, all effective from {@code nowMs}.
 * Nothing unchanged is written again, so re-syncing the same prices stores nothing.
 */
public final class PriceChanges {

  /** The {@code source} of versions written from the configuration file. */
  public static final String CONFIG = "config";
  /** The {@code source} of versions written from the synced catalogue. */
  public static final String CATALOGUE = "catalogue";

  private PriceChanges() {}

  /**
   * Versions making the stored operator prices equal the declared ones: declared defaults per
   * model, and per channel id per model. A configured price no longer declared is withdrawn;
   * prices set another way (source other than {@link #CONFIG}) are left alone.
   */
  public static List<PriceVersion> declared(PriceBook book, Map<String, ModelPrice> defaults,
      Map<Long, Map<String, ModelPrice>> byChannel, long nowMs) {
    List<PriceVersion> out = new ArrayList<>();
    Set<String> declaredKeys = new HashSet<>();
    defaults.forEach((model, price) -> {
      declaredKeys.add(0 + "\0" + model);
      changed(book, Scope.DEFAULT, 0, model, price, CONFIG, nowMs, out);
    });
    byChannel.forEach((channelId, models) -> models.forEach((model, price) -> {
      declaredKeys.add(channelId + "\0" + model);
      changed(book, Scope.CHANNEL, channelId, model, price, CONFIG, nowMs, out);
    }));
    for (Scope scope : List.of(Scope.DEFAULT, Scope.CHANNEL)) {
      for (PriceVersion v : book.latestAt(scope)) {
        if (CONFIG.equals(v.source()) && !v.price().withdrawn()
            && !declaredKeys.contains(v.channelId() + "\0" + v.model())) {
          out.add(PriceVersion.of(scope, v.channelId(), v.model(), nowMs, ModelPrice.WITHDRAWN, CONFIG));
        }
      }
    }
    return out;
  }

  /** Versions for the catalogue prices that are new or changed; a model the catalogue dropped keeps its last price. */
  public static List<PriceVersion> catalogue(PriceBook book, Map<String, ModelPrice> catalogue, long nowMs) {
    List<PriceVersion> out = new ArrayList<>();
    catalogue.forEach((model, price) -> changed(book, Scope.CATALOGUE, 0, model, price, CATALOGUE, nowMs, out));
    return out;
  }

  private static void changed(PriceBook book, Scope scope, long channelId, String model, ModelPrice price,
      String source, long nowMs, List<PriceVersion> out) {
    boolean same = book.latest(scope, channelId, model).map(v -> v.price().samePrices(price)).orElse(false);
    if (!same) {
      out.add(PriceVersion.of(scope, channelId, model, nowMs, price, source));
    }
  }
}
