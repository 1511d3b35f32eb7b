package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.config.SignetConfig;

import java.util.Map;

/**
 * What the cold-start launchers share. Each launcher runs in a fresh JVM whose class path is one
 * function's deployable jar plus this package, constructs that function's handler with its no-argument
 * constructor (exactly what Lambda does, wired from the environment) and invokes it twice. The parent
 * ({@link dev.signet.bench.ColdStart}) times the whole process; the launcher adds where the time went.
 * Only JDK and function-jar classes may be used here.
 *
 * <p>With {@code -Dbench.priming.runs=N} (N &gt; 0) a launcher first does what SnapStart does before its
 * snapshot: it runs the function's priming hook ({@code beforeCheckpoint}: N runs of the path, then the wait
 * for the JIT), so the timed calls are what a restored instance's first requests cost, less the restore
 * itself (SnapStart's own page loading, which no local run can reproduce).
 */
final class FirstResponse {
    private FirstResponse() {
    }

    /**
     * Runs {@code primingClass}'s hook with {@code bench.priming.runs} runs, as SnapStart would before the
     * snapshot; the priming classes' constructors are package-private (the handlers register them), hence
     * reflection. @return milliseconds it took (0 when not asked for)
     */
    static long prime(String primingClass) {
        int runs = Integer.getInteger("bench.priming.runs", 0);
        if (runs <= 0) {
            return 0;
        }
        long start = System.nanoTime();
        try {
            var constructor = Class.forName(primingClass).getDeclaredConstructor(SignetConfig.class, int.class);
            constructor.setAccessible(true);
            SnapStartPriming priming = (SnapStartPriming) constructor.newInstance(SignetConfig.fromEnvironment(), runs);
            priming.beforeCheckpoint(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot run " + primingClass, e);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Prints {@code first-response <construct ms> <prime ms> <first call ms> <second call ms> <outcome>}; the
     * parent derives the JVM's own start.
     */
    static void report(long mainNanos, long constructedNanos, long primeMs, long firstStartNanos, long firstEndNanos,
                       long secondStartNanos, long secondEndNanos, String outcome) {
        System.out.printf("first-response %d %d %d %d %s%n", (constructedNanos - mainNanos) / 1_000_000, primeMs,
                (firstEndNanos - firstStartNanos) / 1_000, (secondEndNanos - secondStartNanos) / 1_000, outcome);
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
