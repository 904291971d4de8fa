package dev.switchboard.admin;

import dev.switchboard.cluster.ChangeNotices;
import dev.switchboard.ConfigReload;
import dev.switchboard.config.LiveConfig;
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
  /** The configuration in force ({@code GET /config}, probe timeouts, the file's groups); null before {@link #attach}. */
  final LiveConfig live;
  /** Reads the file again ({@code POST /config/reload}); null before {@link #attach}. */
  final ConfigReload reload;
  /** The price book's owner, reloaded after a price change; null before {@link #attach}. */
  final PriceService prices;
  /** Tells the other instances to reload after a change; {@link ChangeNotices#none()} when alone. */
  final ChangeNotices notices;

  AdminContext(Store store, SwitchboardConfig.Management config, List<PubSecKeyOptions> keys, Passwords passwords,
      LoginLimiter limiter) {
    this(store, config, keys, passwords, limiter, null, null, null, ChangeNotices.none());
  }

  private AdminContext(Store store, SwitchboardConfig.Management config, List<PubSecKeyOptions> keys, Passwords passwords,
      LoginLimiter limiter, LiveConfig live, PriceService prices, ConfigReload reload, ChangeNotices notices) {
    this.store = store;
    this.config = config;
    this.keys = keys;
    this.passwords = passwords;
    this.limiter = limiter;
    this.live = live;
    this.prices = prices;
    this.reload = reload;
    this.notices = notices;
  }

  /** The same context with the running gateway's configuration, price service and reload, on a single instance. */
  public AdminContext attach(LiveConfig live, PriceService prices, ConfigReload reload) {
    return new AdminContext(store, config, keys, passwords, limiter, live, prices, reload, ChangeNotices.none());
  }

  /**
   * The same context for one of several instances: changes are announced through {@code notices}
   * and login attempts are counted in the Redis {@code redis} talks to (keys under {@code prefix}),
   * so a lockout holds on every instance.
   */
  public AdminContext attach(LiveConfig live, PriceService prices, ConfigReload reload, ChangeNotices notices, Redis redis,
      String prefix) {
    LoginLimiter shared = LoginLimiter.redis(redis, prefix + "login:", config.loginMaxAttempts(), config.loginWindowMs(),
        config.loginLockoutMs());
    return new AdminContext(store, config, keys, passwords, shared, live, prices, reload, notices);
  }

  /** The configuration in force, or null when none is attached. */
  SwitchboardConfig gateway() {
    return live == null ? null : live.get();
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
