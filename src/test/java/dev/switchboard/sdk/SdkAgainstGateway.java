package dev.switchboard.sdk;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.switchboard.testing.MockUpstream;
import dev.switchboard.testing.TestGateway;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the per-SDK tests share: one {@link Upstream#gateway} over one {@link MockUpstream} for
 * the whole class, an SDK client {@code C} with the plain key and one ({@code costly}) with the
 * key that asks for the cost, the mock reset before each test, and the parameter sources. How
 * a client is built is the subclass's {@link #sdk}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SdkAgainstGateway<C> {

  private final String key;
  private final Consumer<C> close;

  Vertx vertx;
  MockUpstream mock;
  TestGateway gateway;
  C client;
  C costly;

  /** {@code key} is the plain client key; {@code close} closes a client {@link #sdk} built. */
  SdkAgainstGateway(String key, Consumer<C> close) {
    this.key = key;
    this.close = close;
  }

  /** A client of this SDK against {@link #gateway} with {@code key}, that does not retry. */
  abstract C sdk(String key);

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    mock = MockUpstream.start(vertx).await();
    gateway = Upstream.gateway(vertx, mock, key);
    client = sdk(key);
    costly = sdk(Upstream.costly(key));
  }

  @AfterAll
  void stop() {
    try {
      close.accept(client);
      close.accept(costly);
      gateway.close();
    } finally {
      vertx.close().await();
    }
  }

  @BeforeEach
  void reset() {
    mock.reset();
  }

  /** Every upstream, with the plain key and with the key that asks for the cost (SDKs must read both). */
  static List<Arguments> withAndWithoutCost() {
    return eachWithFlag();
  }

  /** Every upstream, not streamed and streamed. */
  static List<Arguments> toolCells() {
    return eachWithFlag();
  }

  private static List<Arguments> eachWithFlag() {
    List<Arguments> cells = new ArrayList<>();
    for (Upstream u : Upstream.values()) {
      cells.add(Arguments.of(u, false));
      cells.add(Arguments.of(u, true));
    }
    return cells;
  }

  /** The official OpenAI SDK against the gateway's {@code /v1} with {@code key}, without retries. */
  static OpenAIClient openAi(TestGateway gateway, String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.baseUrl() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }
}
