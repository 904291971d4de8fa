package dev.switchboard.pricing;

import dev.switchboard.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Wires pricing to the event loop: at start the stored prices are loaded and the configured
 * ones stored (a database round trip, no network); the catalogue sync then runs in the
 * background, at once and on every interval, so start-up never waits for it and an offline
 * gateway prices with what it has stored. Every minute the stored versions are read again, so
 * prices another instance or the management API stored are used without a restart.
 */
public final class PricingVerticle extends VerticleBase {

  /** How often prices stored by others (another instance, the management API) are read in. */
  static final long RELOAD_EVERY_MS = 60_000;

  private final PriceService prices;
  private final SwitchboardConfig.Pricing config;
  private CatalogueSync sync;
  private long timer = -1;
  private long reloadTimer = -1;

  public PricingVerticle(PriceService prices, SwitchboardConfig.Pricing config) {
    this.prices = prices;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return prices.syncDeclared(config).onSuccess(stored -> {
      reloadTimer = vertx.setPeriodic(RELOAD_EVERY_MS, id -> prices.reload());
      if (config.syncIntervalMs() > 0) {
        sync = new CatalogueSync(vertx, prices, config.catalogueUrl());
        vertx.runOnContext(v -> sync.run());
        timer = vertx.setPeriodic(config.syncIntervalMs(), id -> sync.run());
      }
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(reloadTimer);
    return sync == null ? Future.succeededFuture() : sync.close();
  }
}
