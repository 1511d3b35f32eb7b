package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.DynamoConfigStore;
import dev.signet.core.aws.DynamoEventStore;
import dev.signet.core.aws.PrimingClients;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.aws.SqsDeliveryQueue;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Event;
import dev.signet.core.event.EventInput;
import dev.signet.core.event.EventInputParser;
import dev.signet.core.log.Log;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming for the ingest function: before the snapshot, runs the request path on
 * {@link PrimingClients} (canned AWS answers, no connection), so the restored function starts with
 * the SDK's marshallers, Jackson and Signet's parsing already loaded and warm.
 *
 * <p>It touches no data: no request leaves the process, and the request it sends through the handler
 * carries an ingest key no store knows, so it ends in 401 before any event exists. Nothing unique is
 * created: the event it writes to the canned store has a fixed id and the epoch as its time, and no
 * id generator or random source is used (they are first created inside a real request).
 */
public final class IngestPriming extends SnapStartPriming {
    static final String SAMPLE = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_1\","
            + "\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":[1,2,3],\"paid\":true}}";
    private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private final SignetConfig config;

    IngestPriming(SignetConfig config) {
        this.config = config;
    }

    static IngestPriming register(SignetConfig config) {
        return SnapStartPriming.register(new IngestPriming(config));
    }


    @Override
    protected int prime() {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Log.redirect(quiet); // the primed request's log line is not a request anyone made
        try (PrimingClients.Primed primed = PrimingClients.create()) {
            AwsClients aws = primed.clients();
            IngestHandler handler = new IngestHandler(config, aws, EPOCH);
            handler.handleRequest(request("/v1/events", SAMPLE), null);
            handler.handleRequest(request("/v1/events/batch", "{\"events\":[" + SAMPLE + "," + SAMPLE + "]}"), null);

            EventInput input = EventInputParser.parseOne(SAMPLE.getBytes(StandardCharsets.UTF_8));
            Event event = new Event("evt_priming", "priming", input.type(), Instant.EPOCH, input.resource(),
                    input.resourceId(), input.payload(), List.of("ep_priming"));
            new DynamoConfigStore(aws.dynamo(), config.configTable()).list("priming");
            DynamoEventStore events = new DynamoEventStore(aws.dynamo(), config.eventsTable(), config.retention(), EPOCH);
            events.putEvent(event);
            events.putEvents(List.of(event, event));
            new SqsDeliveryQueue(aws.sqs(), config.deliveryQueueUrl()).enqueue(List.of(DeliveryJob.of(event, "ep_priming")));
            return primed.calls().get();
        } finally {
            Log.redirect(System.out);
        }
    }

    private static APIGatewayV2HTTPEvent request(String path, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(path)
                .withHeaders(Map.of("authorization", "Bearer sgn_ik_priming", "content-type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                        .build())
                .build();
    }
}
