package dev.switchboard.select;

import dev.switchboard.bus.Addresses;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the pool state: loads channels and keys from the store, folds outcomes into health,
 * and publishes an immutable {@link PoolSnapshot} whenever anything changes. The only writer.
 */
public final class SelectorVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(SelectorVerticle.class);

  private final Store store;
  private final Health health;
  private PoolSnapshot snapshot = PoolSnapshot.empty();

  public SelectorVerticle(Store store, SwitchboardConfig.Routing routing) {
    this.store = store;
    this.health = new Health(routing.maxCooldownMs());
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    bus.<Object>localConsumer(Addresses.POOL_CURRENT, msg -> msg.reply(snapshot));
    bus.<Outcome>localConsumer(Addresses.POOL_OUTCOME, msg -> onOutcome(msg.body()));
    bus.<Object>localConsumer(Addresses.POOL_RELOAD, msg -> reload().onComplete(ar -> {
      if (ar.succeeded()) msg.reply(snapshot);
      else msg.fail(500, "reload failed");
    }));
    return reload();
  }

  private Future<PoolSnapshot> reload() {
    return Future.all(store.channels(), store.clientKeys()).map(all -> {
      PoolSnapshot next = PoolSnapshot.of(snapshot.version() + 1, all.resultAt(0), all.resultAt(1), health.benched());
      publish(next);
      log.debug("pool loaded: {} channels, {} keys, {} models", next.channelCount(), next.keyCount(), next.models().size());
      return next;
    });
  }

  private void onOutcome(Outcome outcome) {
    if (health.apply(outcome, System.currentTimeMillis())) {
      publish(snapshot.withBenched(snapshot.version() + 1, health.benched()));
    }
  }

  private void publish(PoolSnapshot next) {
    snapshot = next;
    vertx.eventBus().publish(Addresses.POOL_SNAPSHOT, next);
  }
}
