package dev.switchboard.admin;

import dev.switchboard.cluster.ChangeNotices;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.pricing.PriceService;
import dev.switchboard.store.Store;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.Redis;
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
  /** Tells the other instances to reload after a change; {@link ChangeNotices#none()} when alone. */
  final ChangeNotices notices;

  AdminContext(Store store, SwitchboardConfig.Management config, List<PubSecKeyOptions> keys, Passwords passwords,
      LoginLimiter limiter) {
    this(store, config, keys, passwords, limiter, null, null, ChangeNotices.none());
  }

  private AdminContext(Store store, SwitchboardConfig.Management config, List<PubSecKeyOptions> keys, Passwords passwords,
      LoginLimiter limiter, SwitchboardConfig gateway, PriceService prices, ChangeNotices notices) {
    this.store = store;
    this.config = config;
    this.keys = keys;
    this.passwords = passwords;
    this.limiter = limiter;
    this.gateway = gateway;
    this.prices = prices;
    this.notices = notices;
  }

  /** The same context with the running gateway's configuration and price service, on a single instance. */
  public AdminContext attach(SwitchboardConfig gateway, PriceService prices) {
    return new AdminContext(store, config, keys, passwords, limiter, gateway, prices, ChangeNotices.none());
  }

  /**
   * The same context for one of several instances: changes are announced through {@code notices}
   * and login attempts are counted in the Redis {@code redis} talks to (keys under {@code prefix}),
   * so a lockout holds on every instance.
   */
  public AdminContext attach(SwitchboardConfig gateway, PriceService prices, ChangeNotices notices, Redis redis,
      String prefix) {
    LoginLimiter shared = LoginLimiter.redis(redis, prefix + "login:", config.loginMaxAttempts(), config.loginWindowMs(),
        config.loginLockoutMs());
    return new AdminContext(store, config, keys, passwords, shared, gateway, prices, notices);
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
