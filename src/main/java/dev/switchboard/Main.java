package dev.switchboard;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.LiveConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.demo.DemoUpstream;
import dev.switchboard.metrics.GatewayMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar switchboard.jar [--config FILE] [--demo]}: loads the configuration, starts the
 * gateway and stops it gracefully on SIGTERM ({@code rotate-master-key ...} runs {@link RotateMasterKey} instead). A configuration error exits with status 2 and a
 * message naming the key.
 */
public final class Main {

  static final String DEFAULT_CONFIG = "conf/switchboard.yaml";

  private Main() {}

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    Logger log = LoggerFactory.getLogger(Main.class);
    if (args.length > 0 && args[0].equals(RotateMasterKey.COMMAND)) {
      System.exit(RotateMasterKey.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv()));
    }
    String configFile = DEFAULT_CONFIG;
    boolean configGiven = false;
    boolean demo = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> {
          if (i + 1 >= args.length) {
            exit(log, 2, "--config needs a file name");
          }
          configFile = args[++i];
          configGiven = true;
        }
        case "--demo" -> demo = true;
        case "--help", "-h" -> {
          log.info("usage: java -jar switchboard.jar [--config FILE] [--demo]");
          log.info(RotateMasterKey.USAGE);
          return;
        }
        default -> exit(log, 2, "unknown argument '" + args[i] + "' (try --help)");
      }
    }

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Transport transport = Transports.choose(System.getProperty("switchboard.transport"), log);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(vertxMetrics()))
        .withTransport(transport)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    GatewayMetrics metrics = new GatewayMetrics(registry);
    boolean withDemo = demo;
    String file = configFile;
    Switchboard app;
    try {
      boolean required = configGiven;
      Supplier<Future<SwitchboardConfig>> source = () -> ConfigLoader.load(vertx, file, required, System.getenv());
      SwitchboardConfig config = source.get().await();
      if (!configGiven && !vertx.fileSystem().existsBlocking(file)) {
        log.info("no {} found: running on built-in defaults", file);
      }
      app = withDemo ? startWithDemo(vertx, config, source, metrics, log)
          : Switchboard.start(vertx, new LiveConfig(config, source), metrics).await();
      SwitchboardConfig c = app.config();
      log.info("Switchboard listening on http://{}:{} | database: {} | {} channels, {} client keys | transport: {}",
          c.server().host(), app.port(), app.store().describe(), c.channels().size(), c.apiKeys().size(),
          Transports.name(transport));
      if (c.management().enabled()) {
        log.info("management API on http://{}:{}/api/v1", c.management().separateListener() ? c.management().host() : c.server().host(),
            c.management().separateListener() ? app.managementPort() : app.port());
      }
    } catch (ConfigException e) {
      vertx.close();
      exit(log, 2, "configuration error: " + e.getMessage());
      return;
    } catch (Exception e) {
      vertx.close();
      exit(log, 1, "Switchboard failed to start: " + e.getMessage());
      return;
    }

    Switchboard running = app;
    reloadOnHangup(vertx, running, log);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping: no new connections; in-flight requests get {} ms", running.config().server().shutdownGraceMs());
      try {
        running.stop().eventually(vertx::close)
            .await(running.config().server().shutdownGraceMs() + 30_000, TimeUnit.MILLISECONDS);
        log.info("stopped");
      } catch (Exception e) {
        log.error("stop did not complete cleanly: {}", e.toString());
      }
    }, "switchboard-shutdown"));
  }

  /**
   * JVM, pool, connection and verticle meters from Vert.x. Its per-request HTTP and per-message
   * event-bus meters cost a registry lookup each (measured: a large share of the proxy's own CPU
   * per request) and repeat what the gateway's own meters say, so they are off unless
   * {@code -Dswitchboard.vertxMetrics=full}.
   */
  static MicrometerMetricsOptions vertxMetrics() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true);
    if (!"full".equals(System.getProperty("switchboard.vertxMetrics"))) {
      options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
          .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
          .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    }
    return options;
  }

  /**
   * SIGHUP reads the configuration file again, as {@code POST /api/v1/config/reload} does, and
   * logs what was applied and what waits for a restart. Where the JVM offers no SIGHUP
   * handling, the API is the only way.
   */
  @SuppressWarnings("removal")
  private static void reloadOnHangup(Vertx vertx, Switchboard app, Logger log) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> vertx.runOnContext(v -> app.reloader().run().onComplete(ar -> {
        String details;
        if (ar.succeeded()) {
          log.info("configuration reloaded on SIGHUP: applied {}, needs a restart {}", ar.result().applied(),
              ar.result().restartRequired());
          details = ar.result().toJson().put("ok", true).encode();
        } else {
          log.error("configuration reload on SIGHUP failed, the configuration in force is kept: {}", ar.cause().getMessage());
          details = new io.vertx.core.json.JsonObject().put("ok", false).put("error", String.valueOf(ar.cause().getMessage())).encode();
        }
        app.store().admin().audit(System.currentTimeMillis(), "SIGHUP", "config.reload", "config", null, details)
            .onFailure(err -> log.warn("could not audit the reload: {}", err.getMessage()));
      })));
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log.info("SIGHUP is not available here ({}); reload the configuration with POST /api/v1/config/reload", e.getMessage());
    }
  }

  /** Adds the built-in demo upstream as channel {@code demo} and a fresh client key, printed once. */
  private static Switchboard startWithDemo(Vertx vertx, SwitchboardConfig config, Supplier<Future<SwitchboardConfig>> source,
      GatewayMetrics metrics, Logger log) throws Exception {
    DemoUpstream upstream = DemoUpstream.start(vertx).await();
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String key = "sk-demo-" + HexFormat.of().formatHex(random);
    // a reload re-reads the file: the demo channel and key are added to it again
    LiveConfig live = new LiveConfig(withDemo(config, upstream, key), () -> source.get().map(c -> withDemo(c, upstream, key)));
    Future<Switchboard> started = Switchboard.start(vertx, live, metrics, upstream);
    Switchboard app = started.await();
    log.info("demo mode: channel 'demo' (model 'demo') and client key {}", key);
    log.info("try: curl http://127.0.0.1:{}/v1/chat/completions -H 'Authorization: Bearer {}' -H 'Content-Type: application/json' -d '{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'", app.port(), key);
    return app;
  }

  private static SwitchboardConfig withDemo(SwitchboardConfig config, DemoUpstream upstream, String key) {
    List<SwitchboardConfig.ChannelConfig> channels = new ArrayList<>(config.channels());
    channels.removeIf(ch -> ch.name().equals("demo"));
    channels.add(new SwitchboardConfig.ChannelConfig("demo", "openai", List.of(upstream.baseUrl()), List.of(),
        List.of("demo"), Map.of(), 0, 1));
    List<SwitchboardConfig.ApiKeyConfig> keys = new ArrayList<>(config.apiKeys());
    keys.removeIf(k -> k.name().equals("demo"));
    keys.add(new SwitchboardConfig.ApiKeyConfig("demo", key, null, List.of()));
    SwitchboardConfig withDemo = new SwitchboardConfig(config.server(), config.database(), config.redis(), config.limits(),
        config.routing(), config.stats(), config.security(), List.copyOf(channels), List.copyOf(keys), config.pricing(),
        config.management(), config.groups(), config.aliases());
    return withDemo;
  }

  private static void exit(Logger log, int status, String message) {
    log.error(message);
    System.exit(status);
  }
}
