package dev.signet.management;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.api.ApiGateway;
import dev.signet.api.Router;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.config.SignetConfig;

import java.time.Clock;

/** Workspaces, sessions and endpoints (CONTRACT §4–§6). Work in progress. */
public final class ManagementHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Router router = new Router();

    public ManagementHandler() {
        this(SignetConfig.fromEnvironment(), AwsClients.fromEnvironment(), Clock.systemUTC());
    }

    public ManagementHandler(SignetConfig config, AwsClients aws, Clock clock) {
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGateway.handle(event, context, router::dispatch);
    }
}
