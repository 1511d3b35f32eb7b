package dev.signet.core.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.time.Duration;

/**
 * The three AWS clients, all on the small URLConnection HTTP client (no Apache, no Netty) to keep
 * the jars lean and cold starts short. In Lambda, region and credentials come from the default
 * chains (SnapStart supplies container credentials); local mode points them at the emulators.
 */
public record AwsClients(DynamoDbClient dynamo, SqsClient sqs, SecretsManagerClient secrets) {

    /**
     * One try of a call (DynamoDB, SQS and Secrets Manager answer in milliseconds; a try that takes
     * seconds is a throttled or unreachable service, and another try may land elsewhere).
     */
    public static final Duration CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    /**
     * A whole call with the SDK's own retries. Every call of a function fits its time budget with
     * this: the delivery function keeps 12 s back for settling (a few record writes and two queue
     * calls), the management function answers within 25 s, so no storage call can run an invocation
     * past its timeout and have a whole batch received again.
     */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /** Clients for the real AWS account the function runs in. */
    public static AwsClients fromEnvironment() {
        SdkHttpClient http = httpClient();
        var overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(CALL_ATTEMPT_TIMEOUT).apiCallTimeout(CALL_TIMEOUT).build();
        return new AwsClients(
                DynamoDbClient.builder().httpClient(http).overrideConfiguration(overrides).build(),
                SqsClient.builder().httpClient(http).overrideConfiguration(overrides).build(),
                SecretsManagerClient.builder().httpClient(http).overrideConfiguration(overrides).build());
    }



    /**
     * Clients for emulators on this machine (local mode and the integration tests), with any SDK
     * interceptors given (the cost model's request counter).
     */
    public static AwsClients forEmulators(URI dynamoAndSecrets, URI sqs, ExecutionInterceptor... interceptors) {
        SdkHttpClient http = httpClient();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        Region region = Region.US_EAST_1;
        // Bounded like production, so a stalled emulator fails a call as a stalled service would; more
        // lenient (moto is one Python process sharing two cores with the tests), so a busy one does not.
        var overrides = ClientOverrideConfiguration.builder()
                .apiCallAttemptTimeout(CALL_ATTEMPT_TIMEOUT.multipliedBy(3)).apiCallTimeout(CALL_TIMEOUT.multipliedBy(2))
                .executionInterceptors(java.util.List.of(interceptors)).build();
        return new AwsClients(
                DynamoDbClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                        .endpointOverride(dynamoAndSecrets).overrideConfiguration(overrides).build(),
                SqsClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                        .endpointOverride(sqs).overrideConfiguration(overrides).build(),
                SecretsManagerClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                        .endpointOverride(dynamoAndSecrets).overrideConfiguration(overrides).build());
    }

    private static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(10))
                .build();
    }
}
