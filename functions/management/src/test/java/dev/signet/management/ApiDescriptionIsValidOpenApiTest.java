package dev.signet.management;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /openapi.yaml} serves, without a credential, the repository's openapi.yaml, and that
 * document is valid OpenAPI 3.1 (swagger-parser, references resolved): servers for a deployment and for
 * local mode, and a {@code webhooks} section describing the request a receiver gets.
 */
class ApiDescriptionIsValidOpenApiTest {
    private static SwaggerParseResult parse(String yaml) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(yaml, null, options);
    }

    private static String servedDocument() {
        ManagementOverMemory api = new ManagementOverMemory(MutableClock.at("2026-04-17T18:22:00Z"));
        ManagementOverMemory.Reply reply = api.call("GET", "/openapi.yaml", null, null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).containsEntry("content-type", "application/yaml; charset=utf-8");
        return reply.body();
    }

    @Test
    void theServedDocumentIsTheRepositorysOpenApiYaml() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("openapi.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("openapi.yaml above the working directory").isNotNull();
        assertThat(servedDocument()).isEqualTo(Files.readString(dir.resolve("openapi.yaml")));
    }

    @Test
    void itIsValidOpenApi31WithServersAndTheDeliveredWebhook() {
        SwaggerParseResult result = parse(servedDocument());

        assertThat(result.getMessages()).as("parser messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        assertThat(api.getServers()).extracting(Server::getUrl)
                .containsExactly("https://{apiId}.execute-api.{region}.amazonaws.com", "http://127.0.0.1:8080");
        assertThat(api.getServers().getFirst().getVariables()).containsOnlyKeys("apiId", "region");

        PathItem webhook = api.getWebhooks().get("event");
        assertThat(webhook.getPost().getParameters()).extracting(p -> p.getIn() + ":" + p.getName())
                .contains("header:webhook-id", "header:webhook-timestamp", "header:webhook-signature");
        assertThat(webhook.getPost().getRequestBody().getContent().get("application/json").getExamples())
                .containsOnlyKeys("envelope", "raw");
        assertThat(api.getComponents().getSchemas().get("WebhookEnvelope").getRequired())
                .containsExactlyInAnyOrder("id", "type", "timestamp", "resource", "resource_id", "data");
        assertThat(api.getPaths().get("/openapi.yaml").getGet().getSecurity()).as("no credential").isEmpty();
    }

    @Test
    void theCheckCatchesABrokenDocument() {
        String served = servedDocument();
        // A dangling reference and an operation without responses: what a careless edit would leave.
        String broken = served.replace("$ref: \"#/components/schemas/WebhookEnvelope\"", "$ref: \"#/components/schemas/Nowhere\"")
                .replaceFirst("(?s)(operationId: getApiDescription.*?)responses:", "$1x-responses:");
        assertThat(broken).isNotEqualTo(served);

        assertThat(parse(broken).getMessages()).anySatisfy(m -> assertThat(m).contains("Nowhere"))
                .anySatisfy(m -> assertThat(m).contains("responses"));
    }
}
