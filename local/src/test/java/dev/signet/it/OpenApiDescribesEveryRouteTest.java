package dev.signet.it;

import dev.signet.api.Router;
import dev.signet.core.aws.Stores;
import dev.signet.testkit.InMemoryStores;
import dev.signet.core.config.SignetConfig;
import dev.signet.ingest.IngestHandler;
import dev.signet.management.ManagementHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.yaml describes exactly the routes the functions serve, each with its auth and error responses
 * (ApiDescriptionIsValidOpenApiTest checks that it is valid OpenAPI 3.1 and that it is what is served).
 */
class OpenApiDescribesEveryRouteTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    static Map<String, Object> spec;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("openapi.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("openapi.yaml above the working directory").isNotNull();
        spec = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(dir.resolve("openapi.yaml")));
    }

    /** "POST /v1/workspaces/{}/endpoints": path parameters are compared by position, not name. */
    private static String normalise(String method, String template) {
        return method.toUpperCase(Locale.ROOT) + " " + template.replaceAll("\\{[^}]+}", "{}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> operations() {
        Map<String, Object> paths = (Map<String, Object>) spec.get("paths");
        return paths.entrySet().stream().flatMap(p -> ((Map<String, Object>) p.getValue()).entrySet().stream()
                        .filter(m -> METHODS.contains(m.getKey()))
                        .map(m -> Map.entry(normalise(m.getKey(), p.getKey()), (Map<String, Object>) m.getValue())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Set<String> served() {
        SignetConfig config = SignetConfig.from(Map.of("SIGNET_CONFIG_TABLE", "config", "SIGNET_EVENTS_TABLE", "events",
                "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1:1/queue/deliveries", "SIGNET_ADMIN_KEY", "unused"));
        Stores stores = InMemoryStores.create().stores();
        List<Router.Route> routes = Stream.concat(
                new IngestHandler(config, stores, Clock.systemUTC()).routes().stream(),
                new ManagementHandler(config, stores, Clock.systemUTC()).routes().stream()).toList();
        return routes.stream().map(r -> normalise(r.method(), r.template())).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() {
        assertThat(new TreeSet<>(operations().keySet())).isEqualTo(served());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationHasAnIdASummaryAndTheAuthenticationErrors() {
        operations().forEach((route, op) -> {
            assertThat(op.get("operationId")).as(route).isNotNull();
            assertThat(op.get("summary")).as(route).isNotNull();
            Map<String, Object> responses = (Map<String, Object>) op.get("responses");
            if (List.of().equals(op.get("security"))) {
                // Served without a credential (GET /openapi.yaml): nothing to refuse.
                assertThat(responses).as(route).doesNotContainKeys("401", "403");
            } else {
                assertThat(responses).as(route).containsKeys("401", "403");
            }
            assertThat(responses.keySet()).as(route + " has a success response").anyMatch(code -> code.startsWith("2"));
            if (route.contains("{}")) {
                assertThat(responses).as(route + " can be not found").containsKey("404");
            }
        });
    }
}
