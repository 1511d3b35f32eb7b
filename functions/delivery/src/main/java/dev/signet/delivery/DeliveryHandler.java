package dev.signet.delivery;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.config.SignetConfig;

import java.time.Clock;
import java.util.List;

/** SQS-triggered delivery (CONTRACT §3). Work in progress: the shell local mode wires against. */
public final class DeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    public DeliveryHandler() {
        this(SignetConfig.fromEnvironment(), AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    public DeliveryHandler(SignetConfig config, AwsClients aws, Clock clock) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return new SQSBatchResponse(List.of());
    }
}
