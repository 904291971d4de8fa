package dev.switchboard.pricing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One catalogue sync: fetch the URL, parse it off the event loop, store the prices that changed.
 * A failure (unreachable, an error status, a malformed catalogue) keeps every stored price and
 * is logged once, not at every interval while it lasts; the next success is logged again.
 */
public final class CatalogueSync {

  private static final Logger log = LoggerFactory.getLogger(CatalogueSync.class);
  private static final long TIMEOUT_MS = 60_000;

  private final Vertx vertx;
  private final PriceService prices;
  private final String url;
  private final WebClient client;
  private String lastProblem;
  private int problemsLogged;

  public CatalogueSync(Vertx vertx, PriceService prices, String url) {
    this.vertx = vertx;
    this.prices = prices;
    this.url = url;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(10_000)
        .setUserAgent("switchboard-price-sync").setDecompressionSupported(true));
  }

  /** Syncs once; completes with the number of price versions stored, or fails (already logged). */
  public Future<Integer> run() {
    return client.getAbs(url).timeout(TIMEOUT_MS).send()
        .recover(err -> Future.failedFuture(new SyncProblem("unreachable: " + describe(err))))
        .compose(this::body)
        .compose(body -> vertx.executeBlocking(() -> Catalogue.parse(body)))
        .recover(err -> Future.failedFuture(err instanceof Catalogue.MalformedCatalogueException
            ? new SyncProblem("malformed catalogue: " + err.getMessage()) : err))
        .compose(prices::applyCatalogue)
        .onSuccess(stored -> {
          if (lastProblem != null || stored > 0) {
            log.info("price catalogue synced from {}: {} new price versions", url, stored);
          }
          lastProblem = null;
        })
        .onFailure(this::problem);
  }

  /** How many sync problems were logged: one per run of failures of the same kind. */
  public int problemsLogged() {
    return problemsLogged;
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  private Future<Buffer> body(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture(new SyncProblem("HTTP status " + response.statusCode()));
    }
    Buffer body = response.body();
    return body == null ? Future.failedFuture(new SyncProblem("malformed catalogue: empty body")) : Future.succeededFuture(body);
  }

  private void problem(Throwable err) {
    String what = err instanceof SyncProblem ? err.getMessage() : "storing prices failed: " + describe(err);
    String kind = what.contains(":") ? what.substring(0, what.indexOf(':')) : what;
    if (!kind.equals(lastProblem)) {
      problemsLogged++;
      log.warn("price catalogue sync from {} failed, keeping the stored prices: {}", url, what);
    }
    lastProblem = kind;
  }

  private static String describe(Throwable err) {
    return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
  }

  private static final class SyncProblem extends RuntimeException {
    SyncProblem(String message) {
      super(message, null, false, false);
    }
  }
}
