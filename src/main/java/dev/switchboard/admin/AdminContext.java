package dev.switchboard.admin;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.pricing.PriceService;
import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.web.Router;
import java.util.List;

/**
 * What every listener of the management API shares (store, keys, password hasher, login
 * limits). {@link #router} builds one listener's router, with its own JWT provider.
 */
public final class AdminContext {

  final Store store;
  final SwitchboardConfig.Management config;
  final List<PubSecKeyOptions> keys;
  final Passwords passwords;
  final LoginLimiter limiter;
  /** The whole configuration ({@code GET /config}, probe timeouts); null before {@link #attach}. */
  final SwitchboardConfig gateway;
  /** The price book's owner, reloaded after a price change; null before {@link #attach}. */
  final PriceService prices;

  AdminContext(Store store, SwitchboardConfig.Management config, List<PubSecKeyOptions> keys, Passwords passwords,
      LoginLimiter limiter) {
    this(store, config, keys, passwords, limiter, null, null);
  }

  private AdminContext(Store store, SwitchboardConfig.Management config, List<PubSecKeyOptions> keys, Passwords passwords,
      LoginLimiter limiter, SwitchboardConfig gateway, PriceService prices) {
    this.store = store;
    this.config = config;
    this.keys = keys;
    this.passwords = passwords;
    this.limiter = limiter;
    this.gateway = gateway;
    this.prices = prices;
  }

  /** The same context with the running gateway's configuration and price service. */
  public AdminContext attach(SwitchboardConfig gateway, PriceService prices) {
    return new AdminContext(store, config, keys, passwords, limiter, gateway, prices);
  }

  public SwitchboardConfig.Management config() {
    return config;
  }

  /** A router serving the API at its root; mount it under {@code /api/v1}. */
  public Router router(Vertx vertx) {
    return AdminApi.router(vertx, this);
  }

  /** Mounts the API under {@code /api/v1} of {@code parent}. */
  public void mount(Vertx vertx, Router parent) {
    parent.route(AdminApi.BASE + "/*").subRouter(router(vertx));
  }
}
