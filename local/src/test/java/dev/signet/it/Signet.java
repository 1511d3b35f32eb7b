package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.core.store.EventStore;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;

/**
 * One Signet stack (fresh tables and queues on the shared emulators) for a test class, with a short
 * retry schedule: {@code @RegisterExtension static final Signet signet = new Signet("1s,1s");}
 */
final class Signet implements BeforeAllCallback, AfterAllCallback {
    private final String retrySchedule;
    private final java.util.Map<String, String> env;
    private SignetStack stack;
    private ApiClient api;
    private EventStore events;

    Signet(String retrySchedule) {
        this(retrySchedule, java.util.Map.of());
    }

    /** With extra SIGNET_* variables, e.g. {@code Map.of("SIGNET_CACHE_TTL_SECONDS", "1")}. */
    Signet(String retrySchedule, java.util.Map<String, String> env) {
        this.retrySchedule = retrySchedule;
        this.env = java.util.Map.copyOf(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        SignetStack.Builder builder = SignetStack.builder().retrySchedule(retrySchedule);
        env.forEach(builder::env);
        stack = builder.start();
        api = new ApiClient(stack.baseUrl());
        events = stack.stores().events();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stack.close();
    }

    SignetStack stack() {
        return stack;
    }

    ApiClient api() {
        return api;
    }

    String adminKey() {
        return stack.adminKey();
    }

    /** A workspace with a portal session and, if {@code endpointJson} is given, one endpoint. */
    Tenant tenant(String workspaceId, String endpointJson) {
        return Tenant.create(api, stack.adminKey(), workspaceId, endpointJson);
    }

    /** The attempts of one event, oldest first, as stored in DynamoDB (under the workspace's current generation). */
    List<Attempt> attempts(String workspaceId, String eventId) {
        return events.attemptsOf(workspaceId, generation(workspaceId), eventId);
    }

    /** The generation of the workspace as it exists now: its events and attempts are kept under it. */
    String generation(String workspaceId) {
        return generationOf(stack, workspaceId);
    }

    static String generationOf(SignetStack stack, String workspaceId) {
        return stack.stores().config().get(workspaceId).orElseThrow(() -> new AssertionError("no workspace " + workspaceId)).generation();
    }

    /** The endpoint's credentials as sealed in its item, opened as the functions open them. */
    dev.signet.core.endpoint.EndpointCredentials credentials(String workspaceId, String endpointId) {
        return credentialsOf(stack, workspaceId, endpointId);
    }

    static dev.signet.core.endpoint.EndpointCredentials credentialsOf(SignetStack stack, String workspaceId, String endpointId) {
        var endpoint = stack.stores().config().get(workspaceId, endpointId).orElseThrow(() -> new AssertionError("no endpoint " + endpointId));
        var vault = new dev.signet.core.credentials.CredentialVault(stack.stores().secrets(), stack.config().credentialKeySecretId(),
                java.time.Clock.systemUTC(), java.time.Duration.ZERO);
        return vault.open(new dev.signet.core.credentials.CredentialScope(workspaceId, generationOf(stack, workspaceId), endpointId),
                endpoint.credentials());
    }

    /** Waits until the event has at least {@code n} attempts logged. */
    List<Attempt> awaitAttempts(String workspaceId, String eventId, int n) {
        return Eventually.get(Duration.ofSeconds(30), () -> attempts(workspaceId, eventId), a -> a.size() >= n);
    }

    /** The events table as the functions write it (DynamoDB). */
    EventStore events() {
        return events;
    }

    /**
     * Waits until the deliveries queue holds nothing (visible, in flight or delayed): from then on no
     * further request can reach a receiver, so a test can count what arrived without sleeping.
     */
    void awaitDeliveriesDrained() {
        Eventually.get(Duration.ofSeconds(30), this::deliveriesQueueDepth, d -> d == 0);
    }

    int deliveriesQueueDepth() {
        return Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl());
    }

    int deadLetterQueueDepth() {
        return Queues.depth(stack.clients().sqs(), stack.resources().deadLetterQueueUrl());
    }
}
