package dev.switchboard.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.SecretBox;
import dev.switchboard.store.Store;
import dev.switchboard.testing.TestGateway.Reply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document and the router agree: every routed operation is documented, and nothing else is. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class OpenApiCompletenessTest {

  @TempDir
  Path dir;

  private static TreeSet<String> routed(Router router) {
    TreeSet<String> out = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
        continue; // body handler, CORS, the not-found fallback
      }
      String path = route.getPath().replaceAll(":([A-Za-z]+)", "{$1}");
      route.methods().forEach(m -> out.add(m.name() + " " + path));
    }
    return out;
  }

  private static TreeSet<String> documented(JsonObject doc) {
    TreeSet<String> out = new TreeSet<>();
    doc.getJsonObject("paths").forEach(p -> ((JsonObject) p.getValue()).fieldNames()
        .forEach(method -> out.add(method.toUpperCase(Locale.ROOT) + " " + p.getKey())));
    return out;
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted(Vertx vertx) {
    SwitchboardConfig config = ConfigLoader.parse(new JsonObject(), Map.of());
    Store store = Store.open(vertx, new SwitchboardConfig.Database("sqlite", dir.resolve("db").toString(), 1),
        SecretBox.of(new byte[32])).await();
    try {
      AdminContext context = AdminBootstrap.prepare(vertx, store, SecretBox.of(new byte[32]), config.management(), "a long password").await();
      TreeSet<String> routes = routed(context.router(vertx));
      JsonObject doc = new JsonObject(vertx.fileSystem().readFileBlocking("src/main/resources/" + AdminApi.OPENAPI_RESOURCE));
      TreeSet<String> documented = documented(doc);
      assertTrue(routes.size() > 20, "the walk found the routes: " + routes);
      TreeSet<String> undocumented = new TreeSet<>(routes);
      undocumented.removeAll(documented);
      TreeSet<String> phantom = new TreeSet<>(documented);
      phantom.removeAll(routes);
      assertEquals(new TreeSet<>(), undocumented, "routes missing from openapi.json");
      assertEquals(new TreeSet<>(), phantom, "documented operations that are not routed");

      // the role each operation documents is the role the route table enforces
      TreeSet<String> wrongRole = new TreeSet<>();
      for (Endpoint e : AdminApi.table(vertx, context, AdminApi.tokens(vertx, context))) {
        String documentedRole = doc.getJsonObject("paths").getJsonObject(e.path())
            .getJsonObject(e.method().name().toLowerCase(Locale.ROOT)).getString("x-required-role");
        String enforced = e.role() == null ? "none" : e.role().wire();
        if (!enforced.equals(documentedRole)) wrongRole.add(e.method() + " " + e.path() + ": " + documentedRole + " vs " + enforced);
      }
      assertEquals(new TreeSet<>(), wrongRole, "x-required-role in openapi.json vs the route table");
    } finally {
      store.close().await();
    }
  }

  @Test
  void theDocumentIsServedPubliclyAndIsOpenApi3(Vertx vertx) {
    try (AdminFixture api = AdminFixture.start(vertx)) {
      Reply reply = api.get("/openapi.json", null);
      assertEquals(200, reply.status());
      assertEquals("application/json", reply.header("content-type"));
      JsonObject doc = reply.json();
      assertTrue(doc.getString("openapi").startsWith("3."));
      assertFalse(doc.getJsonObject("paths").isEmpty());
    }
  }
}
