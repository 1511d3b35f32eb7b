package dev.signet.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Cold start per function: a fresh JVM, started with the flags template.yaml gives Lambda in
 * JAVA_TOOL_OPTIONS (no SnapStart, no application CDS archive), whose class path is the function's
 * deployable jar alone (plus a launcher class), constructs the handler with its no-argument
 * constructor against the emulators and invokes it once. Timed from process start to the first
 * handler response; median of N runs (one more run first warms the OS file cache and is not counted).
 *
 * <p>Usage: {@code scripts/bench coldstart [runs]} (default 5).
 */
public final class ColdStart {
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> extraFlags = args.length > 1 ? List.of(args[1].split(" ")) : List.of();
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

            System.out.printf("cold start: fresh JVM (%s%s) to the first handler response, median of %d runs (+1 uncounted):%n",
                    String.join(" ", LAMBDA_FLAGS), extraFlags.isEmpty() ? "" : " " + String.join(" ", extraFlags), runs);
            System.out.printf("  %-11s %8s %8s %8s   %s%n", "function", "median", "min", "max", "median split: JVM to main + handler constructor + first call; jar");
            for (String function : List.of("ingest", "delivery", "management")) {
                Path jar = Path.of("functions", function, "target", "signet-" + function + "-lambda.jar");
                List<Double> wall = new ArrayList<>();
                List<long[]> splits = new ArrayList<>();
                for (int run = 0; run <= runs; run++) {
                    env.put("BENCH_JOB", new DeliveryJob("cold", "", endpointId, "evt_cold_" + run, "order.completed",
                            Instant.parse("2026-04-17T18:22:00Z"), null, null, "{\"order_id\":\"ord_1\"}").toMessageBody());
                    Result r = launch(function, jar, env, extraFlags);
                    if (run > 0) {
                        wall.add(r.wallMs);
                        splits.add(r.split);
                    }
                }
                splits.sort((a, b) -> Long.compare(a[0] + a[1] + a[2], b[0] + b[1] + b[2]));
                long[] mid = splits.get(splits.size() / 2);
                System.out.printf("  %-11s %6.0f ms %5.0f ms %5.0f ms   %d + %d + %d ms; %.1f MiB%n", function,
                        Stats.median(wall), Stats.min(wall), Stats.max(wall), mid[0], mid[1], mid[2],
                        Files.size(jar) / 1048576.0);
            }
        }
    }

    private record Result(double wallMs, long[] split) {
    }

    private static Result launch(String function, Path jar, Map<String, String> env, List<String> extraFlags) throws Exception {
        String main = "dev.signet.bench.coldstart." + Character.toUpperCase(function.charAt(0)) + function.substring(1) + "FirstResponse";
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_FLAGS);
        command.addAll(extraFlags);
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
                    String outcome = String.join(" ", java.util.Arrays.copyOfRange(f, 3, f.length));
                    if (!outcome.equals("HTTP 202") && !outcome.equals("HTTP 200") && !outcome.equals("delivered")) {
                        throw new IllegalStateException(function + " answered " + outcome + ": " + output);
                    }
                    p.waitFor(30, TimeUnit.SECONDS);
                    long construct = Long.parseLong(f[1]);
                    long first = Long.parseLong(f[2]);
                    return new Result(wall, new long[]{Math.round(wall) - construct - first, construct, first});
                }
                output.add(line);
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        throw new IllegalStateException(function + " printed no response (exit " + p.exitValue() + "): " + String.join("\n", output));
    }
}
