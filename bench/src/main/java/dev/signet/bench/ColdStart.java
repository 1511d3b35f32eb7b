package dev.signet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.log.Log;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start per function, and the first requests after a restore-like start.
 *
 * <p>{@code scripts/bench coldstart [runs] ["flags"]}: a fresh JVM, started with the flags Lambda's java25
 * runtime uses for a function without SnapStart ({@code -XX:TieredStopAtLevel=1}; no application CDS
 * archive), whose class path is the function's deployable jar alone (plus a launcher class), constructs
 * the handler with its no-argument constructor against the emulators and invokes it. Timed from process
 * start to the first handler response; median of N runs (one more run first warms the OS file cache and
 * is not counted).
 *
 * <p>{@code scripts/bench restore [runs] [priming runs]}: the same JVMs, but before the first request each
 * runs the function's SnapStart priming hook as Lambda does before its snapshot, and the two requests after
 * it are timed: what a restored instance's first requests cost (less SnapStart's own restore, which cannot
 * be reproduced here). Four variants: the JIT stopped at C1 (the flag template.yaml used to set) or the
 * full tiered compiler (what the java25 runtime uses with SnapStart), each with priming run once (as
 * before) or {@code priming runs} times ({@link SnapStartPriming#RUNS} by default).
 */
public final class ColdStart {
    /** What Lambda's java25 runtime runs a function without SnapStart with: the JIT stops at C1. */
    static final List<String> C1_ONLY = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    private record Variant(String name, List<String> flags, int primingRuns) {
    }

    public static void main(String[] args) throws Exception {
        boolean restore = args.length > 0 && args[0].equals("restore");
        String[] rest = restore ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        int runs = rest.length > 0 ? Integer.parseInt(rest[0]) : 5;
        List<Variant> variants;
        if (restore) {
            int primingRuns = rest.length > 1 ? Integer.parseInt(rest[1]) : SnapStartPriming.RUNS;
            variants = List.of(
                    new Variant("C1 only, priming once", C1_ONLY, 1),
                    new Variant("C1 only, priming x" + primingRuns, C1_ONLY, primingRuns),
                    new Variant("full tiered (C2), priming once", List.of(), 1),
                    new Variant("full tiered (C2), priming x" + primingRuns, List.of(), primingRuns));
        } else {
            List<String> extra = rest.length > 1 ? List.of(rest[1].split(" ")) : List.of();
            List<String> flags = new ArrayList<>(C1_ONLY);
            flags.addAll(extra);
            variants = List.of(new Variant(String.join(" ", flags), flags, 0));
        }
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        Path home = Files.createTempDirectory("signet-coldstart");
        try (LoopbackReceiver receiver = new LoopbackReceiver();
             SignetStack stack = SignetStack.builder().pollers(0).start()) {
            ApiClient api = stack.api();
            String ingestKey = api.post("/v1/workspaces", stack.adminKey(), "{\"name\":\"Cold\",\"id\":\"cold\"}").text("ingest_key");
            String session = api.post("/v1/workspaces/cold/sessions", stack.adminKey(), "{}").text("token");
            JsonNode endpoint = api.post("/v1/workspaces/cold/endpoints", session,
                    "{\"url\":\"" + receiver.url("/hooks") + "\"}").json();
            String endpointId = endpoint.path("id").asText();
            // Credentials are sealed for the workspace's generation: a job must carry it, as ingest's do.
            String generation = stack.stores().config().get("cold").orElseThrow().generation();

            Map<String, String> env = new LinkedHashMap<>(stack.resources().environment());
            env.put("SIGNET_ADMIN_KEY", stack.adminKey());
            env.put("SIGNET_ALLOW_HTTP", "true");
            env.put("SIGNET_ALLOW_PRIVATE_CIDRS", SignetStack.LOCAL_PRIVATE_CIDRS);
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            // The SDK's service-specific endpoint variables point the real no-argument wiring at the emulators.
            env.put("AWS_ENDPOINT_URL_DYNAMODB", stack.emulators().dynamoAndSecretsEndpoint().toString());
            env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", stack.emulators().dynamoAndSecretsEndpoint().toString());
            env.put("AWS_ENDPOINT_URL_SQS", stack.emulators().sqsEndpoint().toString());
            env.put("HOME", home.toString()); // no ~/.aws files, as in Lambda
            env.put("PATH", System.getenv("PATH"));
            env.put("BENCH_INGEST_KEY", ingestKey);
            env.put("BENCH_EVENT", "{\"event\":\"order.completed\",\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900}}");
            env.put("BENCH_WORKSPACE", "cold");

            if (restore) {
                System.out.printf("restore-like start: fresh JVM, handler constructed, SnapStart priming hook run, then two requests;"
                        + " median of %d runs (+1 uncounted) per variant:%n", runs);
                System.out.printf("  %-11s %-36s %9s %13s %13s %9s%n", "function", "variant", "priming", "1st request", "2nd request", "JVM+init");
            } else {
                System.out.printf("cold start: fresh JVM (%s) to the first handler response, median of %d runs (+1 uncounted):%n",
                        variants.getFirst().name(), runs);
                System.out.printf("  %-11s %8s %8s %8s   %s%n", "function", "median", "min", "max", "median split: JVM to main + handler constructor + first call; jar");
            }
            for (String function : List.of("ingest", "delivery", "management")) {
                Path jar = Path.of("functions", function, "target", "signet-" + function + "-lambda.jar");
                for (Variant variant : variants) {
                    List<Double> wall = new ArrayList<>();
                    List<long[]> splits = new ArrayList<>();
                    for (int run = 0; run <= runs; run++) {
                        env.put("BENCH_JOB", job(generation, endpointId, variant, run, 1));
                        env.put("BENCH_JOB_2", job(generation, endpointId, variant, run, 2));
                        Result r = launch(function, jar, env, variant);
                        if (run > 0) {
                            wall.add(r.wallMs);
                            splits.add(r.split);
                        }
                    }
                    if (restore) {
                        System.out.printf("  %-11s %-36s %6.0f ms %9.1f ms %9.1f ms %6.0f ms%n", function, variant.name(),
                                median(splits, 2), median(splits, 3) / 1000, median(splits, 4) / 1000,
                                median(splits, 0) + median(splits, 1));
                    } else {
                        splits.sort((a, b) -> Long.compare(a[0] + a[1] + a[3] / 1000, b[0] + b[1] + b[3] / 1000));
                        long[] mid = splits.get(splits.size() / 2);
                        System.out.printf("  %-11s %6.0f ms %5.0f ms %5.0f ms   %d + %d + %d ms; %.1f MiB%n", function,
                                Stats.median(wall), Stats.min(wall), Stats.max(wall), mid[0], mid[1], mid[3] / 1000,
                                Files.size(jar) / 1048576.0);
                    }
                }
            }
        }
    }

    private static String job(String generation, String endpointId, Variant variant, int run, int n) {
        return new DeliveryJob("cold", generation, endpointId, "evt_cold_" + variant.flags().size() + "_" + variant.primingRuns() + "_" + run + "_" + n,
                "order.completed", Instant.parse("2026-04-17T18:22:00Z"), null, null, "{\"order_id\":\"ord_1\"}").toMessageBody();
    }

    private static double median(List<long[]> splits, int column) {
        return Stats.median(splits.stream().map(s -> (double) s[column]).toList());
    }

    /** @param split JVM to main (ms), constructor (ms), priming (ms), first call (µs), second call (µs) */
    private record Result(double wallMs, long[] split) {
    }

    private static Result launch(String function, Path jar, Map<String, String> env, Variant variant) throws Exception {
        String main = "dev.signet.bench.coldstart." + Character.toUpperCase(function.charAt(0)) + function.substring(1) + "FirstResponse";
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(variant.flags());
        if (variant.primingRuns() > 0) {
            command.add("-Dbench.priming.runs=" + variant.primingRuns());
        }
        command.add("-cp");
        command.add(jar + File.pathSeparator + Path.of("bench", "target", "classes"));
        command.add(main);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        String line;
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            while ((line = out.readLine()) != null) {
                if (line.startsWith("first-response ")) {
                    double wall = (System.nanoTime() - start) / 1e6;
                    String[] f = line.split(" ");
                    String outcome = String.join(" ", java.util.Arrays.copyOfRange(f, 5, f.length));
                    if (!outcome.equals("HTTP 202") && !outcome.equals("HTTP 200") && !outcome.equals("delivered")) {
                        throw new IllegalStateException(function + " answered " + outcome + ": " + output);
                    }
                    p.waitFor(30, TimeUnit.SECONDS);
                    long construct = Long.parseLong(f[1]);
                    long prime = Long.parseLong(f[2]);
                    long first = Long.parseLong(f[3]);
                    long second = Long.parseLong(f[4]);
                    long jvm = Math.round(wall) - construct - prime - (first + second) / 1000;
                    return new Result(wall, new long[]{jvm, construct, prime, first, second});
                }
                output.add(line);
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        throw new IllegalStateException(function + " printed no response (exit " + p.exitValue() + "): " + String.join("\n", output));
    }
}
