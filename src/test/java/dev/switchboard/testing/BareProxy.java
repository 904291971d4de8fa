package dev.switchboard.testing;

import dev.switchboard.Transports;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.Pipe;
import io.vertx.core.transport.Transport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;

/**
 * A bare Vert.x 5 reverse proxy with no gateway logic, the {@code vertx} subject of
 * {@code benchmarks/run.sh}: the floor any Vert.x-based proxy reaches on the machine (same
 * transport, server and HTTP client settings as Switchboard, none of its work), so the
 * benchmark shows how much of Switchboard's overhead is the platform and how much its own.
 *
 * <p>{@code --port P --route name=upstreamPort ...}: like nginx's config in run.sh,
 * {@code /small/v1/chat/completions?q} goes to {@code http://127.0.0.1:<small>/v1/chat/completions?q}.
 * Method, query, headers (minus hop-by-hop ones) and body are forwarded, the body streamed; the
 * response (status, headers minus hop-by-hop ones, body) is streamed back with backpressure, so
 * SSE events are relayed one by one. Upstream unreachable → 502; unknown route → 404.
 */
public final class BareProxy extends VerticleBase {

  private static final Set<String> HOP_BY_HOP = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

  static {
    HOP_BY_HOP.addAll(Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host"));
  }

  private final Map<String, Integer> routes;
  private final int port;
  private final HttpClientAgent client;
  private volatile String loop;

  private BareProxy(Map<String, Integer> routes, int port, HttpClientAgent client) {
    this.routes = routes;
    this.port = port;
    this.client = client;
  }

  /**
   * Like Switchboard's edges: each server instance has its own client, made before the instances
   * are deployed one after the other, so that each runs on an event loop of its own (a client
   * takes an event loop for its pool cleaner when it is made).
   */
  private static HttpClientAgent client(Vertx vertx) {
    return vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false))
        .with(new PoolOptions().setHttp1MaxSize(4096).setMaxWaitQueueSize(-1))
        .build();
  }

  @Override
  public Future<?> start() {
    loop = Thread.currentThread().getName();
    HttpServerOptions options = new HttpServerOptions().setTcpNoDelay(true).setCompressionSupported(false);
    return vertx.createHttpServer(options).requestHandler(this::proxy).listen(port, "127.0.0.1");
  }

  private void proxy(HttpServerRequest req) {
    String uri = req.uri();  // "/small/v1/chat/completions?x=1"
    int end = 1;
    while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') end++;
    Integer upstreamPort = routes.get(uri.substring(1, end));
    HttpServerResponse out = req.response();
    if (upstreamPort == null) {
      out.setStatusCode(404).end();
      return;
    }
    String rest = end == uri.length() || uri.charAt(end) == '?' ? "/" + uri.substring(end) : uri.substring(end);
    Pipe<Buffer> body = req.pipe();  // pauses the request: its body waits for the upstream connection
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    copyHeaders(req.headers(), headers);
    RequestOptions ro = new RequestOptions().setMethod(req.method()).setHost("127.0.0.1").setPort(upstreamPort)
        .setURI(rest).setHeaders(headers);
    client.request(ro).onComplete(ar -> {
      if (ar.failed()) {
        body.close();
        out.setStatusCode(502).end();
        return;
      }
      HttpClientRequest up = ar.result();
      if (req.headers().contains(HttpHeaders.TRANSFER_ENCODING)) up.setChunked(true);
      up.response().onComplete(rar -> {
        if (rar.failed()) {
          if (out.headWritten()) out.reset(); else out.setStatusCode(502).end();
          return;
        }
        var in = rar.result();
        out.setStatusCode(in.statusCode()).setStatusMessage(in.statusMessage());
        copyHeaders(in.headers(), out.headers());
        if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH)) out.setChunked(true);
        in.pipe().endOnFailure(false).to(out).onFailure(e -> {
          out.reset();
          up.reset();
        });
      });
      body.endOnFailure(false).to(up).onFailure(e -> up.reset());
    });
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    for (Map.Entry<String, String> h : from) {
      if (!HOP_BY_HOP.contains(h.getKey())) to.add(h.getKey(), h.getValue());
    }
  }

  /** {@code --port P --route name=upstreamPort} (repeatable). Prints {@code bare-proxy listening on P}. */
  public static void main(String[] args) {
    int port = 0;
    Map<String, Integer> routes = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 == args.length) throw new IllegalArgumentException("missing value for " + args[i]);
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--route" -> {
          String[] kv = args[i + 1].split("=", 2);
          if (kv.length != 2) throw new IllegalArgumentException("--route wants name=upstreamPort, not " + args[i + 1]);
          routes.put(kv[0], Integer.parseInt(kv[1]));
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Transport transport = Transports.choose(System.getProperty("switchboard.transport"), LoggerFactory.getLogger(BareProxy.class));
    Vertx vertx = Vertx.builder().withTransport(transport).build();
    int instances = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;  // as many as Switchboard's edges
    int listen = port;
    List<HttpClientAgent> clients = new ArrayList<>();
    for (int i = 0; i < instances; i++) clients.add(client(vertx));
    Set<String> loops = new TreeSet<>();
    for (HttpClientAgent client : clients) {
      BareProxy proxy = new BareProxy(routes, listen, client);
      vertx.deployVerticle(proxy).await();
      loops.add(proxy.loop);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
    System.out.println("bare-proxy routes " + routes + ", " + instances + " server instances, transport "
        + Transports.name(transport) + ", on " + loops.size() + " event loops");
    System.out.println("bare-proxy listening on " + port);
  }
}
