package dev.signet.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.core.config.SignetConfig;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.ingest.IngestHandler;
import dev.signet.management.ManagementHandler;
import dev.signet.testkit.InMemoryStores;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The weekly keep-warm invocation (template parameter KeepWarm: {"signet_keep_warm":true}, which the
 * runtime turns into an event with none of the fields a real one has) reaches every function's code
 * and changes nothing: no error, no route taken, nothing stored or queued.
 */
class KeepWarmInvocationsDoNothingTest {
    static final SignetConfig CONFIG = SignetConfig.from(Map.of("SIGNET_CONFIG_TABLE", "config", "SIGNET_EVENTS_TABLE", "events",
            "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1:1/queue/deliveries", "SIGNET_ADMIN_KEY", "unused"));

    @Test
    void eachFunctionAnswersAKeepWarmEventWithoutTouchingAnything() {
        InMemoryStores stores = InMemoryStores.create();

        var ingest = new IngestHandler(CONFIG, stores.stores(), Clock.systemUTC()).handleRequest(new APIGatewayV2HTTPEvent(), null);
        var management = new ManagementHandler(CONFIG, stores.stores(), Clock.systemUTC()).handleRequest(new APIGatewayV2HTTPEvent(), null);
        var delivery = new DeliveryHandler(CONFIG, stores.stores(), Clock.systemUTC()).handleRequest(new SQSEvent(), null);

        assertThat(ingest.getStatusCode()).isEqualTo(404);
        assertThat(management.getStatusCode()).isEqualTo(404);
        assertThat(delivery.getBatchItemFailures()).isEmpty();
        assertThat(stores.events().attemptWrites()).isZero();
        assertThat(stores.queue().enqueued()).isEmpty();
        assertThat(stores.queue().successors()).isEmpty();
        assertThat(stores.config().endpointReads()).isZero();
    }
}
