package dev.switchboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import dev.switchboard.testing.Behavior;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process: {@code Main} in its own JVM, SIGTERM while streams are in flight. The
 * streams finish, the process exits, and the database holds one record per answered request.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MainSigtermTest {

  private static final String CLIENT_KEY = "sk-client-sigterm-00000000001";
  private static final int STREAMS = 40;
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private final StringBuffer output = new StringBuffer();
  private Process process;

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void sigtermLetsInFlightStreamsFinishAndFlushesEveryUsageRecord(Vertx vertx, @TempDir Path dir) throws Exception {
    MockUpstream mock = MockUpstream.start(vertx).await();
    mock.defaultBehavior(Behavior.ok().content("a b c d e f g h i j k l m n o p q r s t u v w x y z").tokenDelayMs(40));
    JsonObject yaml = TestGateway.builder(vertx)
        .channel(TestGateway.channel("primary", mock.baseUrl(), "gpt-4o"))
        .clientKey("client", CLIENT_KEY)
        .server("shutdownGrace", "20s")
        .stats("flushInterval", "10m")
        .yaml(dir);
    Path configFile = dir.resolve("switchboard.yaml");
    Files.writeString(configFile, yaml.encodePrettily());

    int port = startMain(vertx, configFile, dir).await();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(STREAMS));
    List<Future<String>> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      streams.add(http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions"))
          .compose(req -> req.putHeader("authorization", "Bearer " + CLIENT_KEY).putHeader("content-type", "application/json")
              .send(new JsonObject().put("model", "gpt-4o").put("stream", true)
                  .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
                  .toBuffer()))
          .compose(resp -> resp.body().map(Buffer::toString)));
    }
    for (int i = 0; i < 500 && mock.requestCount() < STREAMS; i++) {
      TestGateway.delay(vertx, 10).await();
    }
    assertEquals(STREAMS, mock.requestCount(), "every stream reached the upstream before the signal");

    process.destroy(); // SIGTERM
    Future.join(streams).otherwiseEmpty().await();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process exited:\n" + output);

    for (Future<String> stream : streams) {
      assertTrue(stream.succeeded(), "a stream in flight at SIGTERM was answered in full:\n" + output);
      assertTrue(stream.result().endsWith("data: [DONE]\n\n"), stream.result());
    }
    SwitchboardConfig config = ConfigLoader.parse(yaml, Map.of());
    Store store = Store.open(vertx, config.database(), SecretBox.load(Path.of(config.security().masterKeyFile()))).await();
    try {
      assertEquals(STREAMS, store.countUsage().await(), "records in the database = requests answered:\n" + output);
    } finally {
      store.close().await();
      http.close().await();
    }
  }

  /** Runs Main on this test's class path in a fresh JVM; completes with the port it listens on. */
  private Future<Integer> startMain(Vertx vertx, Path configFile, Path workDir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dev.switchboard.Main", "--config", configFile.toString())
        .directory(workDir.toFile())
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(name -> name.startsWith("SWITCHBOARD_"));
    process = pb.start();
    Promise<Integer> port = Promise.promise();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          output.append(line).append('\n');
          Matcher m = LISTENING.matcher(line);
          if (m.find()) port.tryComplete(Integer.parseInt(m.group(1)));
        }
      } catch (IOException e) {
        port.tryFail(e);
      }
      port.tryFail("Main exited before listening:\n" + output);
    }, "main-output");
    reader.setDaemon(true);
    reader.start();
    return port.future().timeout(60, TimeUnit.SECONDS);
  }
}
