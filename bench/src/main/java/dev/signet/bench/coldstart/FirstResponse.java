package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.util.Map;

/**
 * What the cold-start launchers share. Each launcher runs in a fresh JVM whose class path is one
 * function's deployable jar plus this package, constructs that function's handler with its no-argument
 * constructor (exactly what Lambda does, wired from the environment) and invokes it once. The parent
 * ({@link dev.signet.bench.ColdStart}) times the whole process; the launcher adds where the time went.
 * Only JDK and function-jar classes may be used here.
 */
final class FirstResponse {
    private FirstResponse() {
    }

    /** Prints {@code first-response <construct ms> <first call ms> <outcome>}; the parent derives the JVM's own start. */
    static void report(long mainNanos, long constructedNanos, long respondedNanos, String outcome) {
        System.out.printf("first-response %d %d %s%n", (constructedNanos - mainNanos) / 1_000_000,
                (respondedNanos - constructedNanos) / 1_000_000, outcome);
        System.out.flush();
    }

    static APIGatewayV2HTTPEvent request(String method, String path, String bearer, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRawPath(path)
                .withHeaders(Map.of("authorization", "Bearer " + bearer, "content-type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("cold-start")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .build())
                .build();
    }
}
