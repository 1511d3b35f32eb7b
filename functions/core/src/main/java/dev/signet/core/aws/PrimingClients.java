package dev.signet.core.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AWS clients for SnapStart priming: built like the real ones, but on an HTTP client that never
 * opens a connection and answers every call with a canned, empty response (no item, no message, an
 * empty secret). Running a handler's code against them before the snapshot loads and warms the SDK's
 * marshallers, signer and unmarshallers and Signet's own code, and cannot read or write any data.
 * The clients are thrown away after priming; nothing they hold is used afterwards.
 */
public final class PrimingClients {
    private PrimingClients() {
    }

    /** The three clients on the canned HTTP client, and how many calls it answered. */
    public record Primed(AwsClients clients, AtomicInteger calls) implements AutoCloseable {
        @Override
        public void close() {
            clients.dynamo().close();
            clients.sqs().close();
            clients.secrets().close();
        }
    }

    public static Primed create() {
        return create(Map.of());
    }

    /**
     * @param answers canned response bodies by operation ({@code "GetItem"}, {@code "GetSecretValue"},
     *                ...) in place of the empty defaults, so a primed request can get past "not found"
     *                and run the rest of its path
     */
    public static Primed create(Map<String, String> answers) {
        AtomicInteger calls = new AtomicInteger();
        SdkHttpClient http = new CannedHttpClient(calls, Map.copyOf(answers));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
        // An address no request could reach even if one tried: the HTTP client above never connects.
        URI nowhere = URI.create("https://priming.invalid");
        Region region = Region.US_EAST_1;
        return new Primed(new AwsClients(
                DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials).endpointOverride(nowhere).build(),
                SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials).endpointOverride(nowhere).build(),
                SecretsManagerClient.builder().httpClient(http).region(region).credentialsProvider(credentials).endpointOverride(nowhere).build()),
                calls);
    }

    /** Answers by the JSON protocol's target header; never touches the network. */
    private static final class CannedHttpClient implements SdkHttpClient {
        private final AtomicInteger calls;
        private final Map<String, String> answers;

        CannedHttpClient(AtomicInteger calls, Map<String, String> answers) {
            this.calls = calls;
            this.answers = answers;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
            String operation = target.substring(target.indexOf('.') + 1);
            String body = answers.containsKey(operation) ? answers.get(operation) : switch (operation) {
                case "Query" -> "{\"Count\":0,\"Items\":[],\"ScannedCount\":0}";
                case "BatchWriteItem" -> "{\"UnprocessedItems\":{}}";
                case "SendMessageBatch" -> "{\"Failed\":[],\"Successful\":[]}";
                case "ReceiveMessage" -> "{\"Messages\":[]}";
                case "GetSecretValue" -> "{\"Name\":\"priming\",\"SecretString\":\"priming\"}";
                default -> "{}"; // GetItem (no item), PutItem, UpdateItem, ChangeMessageVisibility, ...
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    calls.incrementAndGet();
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("Content-Length", Integer.toString(bytes.length))
                                    .putHeader("x-amzn-RequestId", "priming")
                                    .build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                            .build();
                }

                @Override
                public void abort() {
                    // nothing in flight
                }
            };
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
