package dev.signet.it;

import dev.signet.ops.SignetOps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's tool on a filled dead-letter queue: {@code dlq stats} looks without taking anything
 * (same depth, messages still receivable), {@code dlq redrive} moves everything back and follows the
 * task to the end, and every dead-lettered delivery then arrives (at least once, none lost).
 */
class OpsToolRedrivesTheDeadLetterQueueTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    record Run(int exit, String out, String err) {
    }

    static Run ops(String... argv) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = SignetOps.run(argv, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void statsPeeksWithoutConsumingAndRedriveDeliversEverything() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(false);
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(healthy.get() ? 200 : 500))) {
            Tenant tenant = signet.tenant("ops-redrive", Tenant.endpointFor(receiver.url()));
            Set<String> emitted = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                emitted.add(tenant.emit(signet.api(), Tenant.SEED_EVENT).text("id"));
            }
            var sqs = signet.stack().clients().sqs();
            String dlq = signet.stack().resources().deadLetterQueueUrl();
            String queue = signet.stack().resources().deliveryQueueUrl();
            Eventually.get(Duration.ofSeconds(40), signet::deadLetterQueueDepth, d -> d == 5);

            Run stats = ops("dlq", "stats", "--dlq", dlq);
            assertThat(stats.exit()).as(stats.err()).isZero();
            assertThat(stats.out()).contains("5 visible").contains("sample           5 of 5")
                    .containsPattern("5\\s+ops-redrive\\s+" + tenant.endpointId() + "\\s+order.completed").contains("oldest");
            assertThat(signet.deadLetterQueueDepth()).as("stats consumed nothing").isEqualTo(5);
            // Handed back at once (visibility 0), not after the peek's 30 s: all five are receivable now.
            List<Message> again = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).visibilityTimeout(0)).messages();
            assertThat(again).isNotEmpty();
            assertThat(Eventually.get(Duration.ofSeconds(5), () -> sqs.getQueueAttributes(r -> r.queueUrl(dlq)
                    .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().get("ApproximateNumberOfMessages"),
                    v -> v.equals("5"))).isEqualTo("5");

            healthy.set(true);
            int before = receiver.requests().size();
            Run redrive = ops("dlq", "redrive", "--dlq", dlq, "--queue", queue, "--max-per-second", "50");
            assertThat(redrive.exit()).as(redrive.out() + redrive.err()).isZero();
            assertThat(redrive.out()).contains("redrive started").contains("task ").contains("redrive done: 5 messages");

            List<TestReceiver.Received> got = receiver.awaitRequests(before + 5, Duration.ofSeconds(30));
            Set<String> redelivered = got.subList(before, got.size()).stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
            assertThat(redelivered).as("every dead letter delivered, none lost").isEqualTo(emitted);
            Eventually.get(Duration.ofSeconds(20), () -> signet.deadLetterQueueDepth() + signet.deliveriesQueueDepth(), d -> d == 0);

            Run tasks = ops("dlq", "tasks", "--dlq", dlq);
            assertThat(tasks.exit()).isZero();
            assertThat(tasks.out()).containsPattern("COMPLETED\\s+\\S+\\s+5(/5)?\\s");
            Run empty = ops("dlq", "stats", "--dlq", dlq);
            assertThat(empty.out()).contains("0 visible").contains("nothing to redrive");
            Run cancel = ops("dlq", "cancel", "--dlq", dlq);
            assertThat(cancel.exit()).as("nothing running to cancel").isEqualTo(1);
        }
    }

    @Test
    void everyCommandHasHelpAndMistakesExitWithTwo() {
        for (String[] cmd : List.of(new String[]{"dlq", "stats"}, new String[]{"dlq", "redrive"}, new String[]{"dlq", "tasks"},
                new String[]{"dlq", "cancel"}, new String[]{"replay"}, new String[]{"attempts"}, new String[]{"endpoint", "show"})) {
            String[] argv = java.util.stream.Stream.concat(java.util.Arrays.stream(cmd), java.util.stream.Stream.of("--help")).toArray(String[]::new);
            Run help = ops(argv);
            assertThat(help.exit()).isZero();
            assertThat(help.out()).startsWith("signet " + cmd[0]);
        }
        assertThat(ops("--help").out()).contains("dlq redrive").contains("replay");
        assertThat(ops().exit()).isEqualTo(2);
        assertThat(ops("dlq", "stats").exit()).as("no --dlq").isEqualTo(2);
        assertThat(ops("dlq", "stats", "--dlq", "x", "--bogus", "1").err()).contains("unknown option --bogus");
        assertThat(ops("replay", "--workspace", "w", "--endpoint", "e", "--since", "yesterday", "--api", "http://127.0.0.1:1",
                "--admin-key", "k").exit()).isEqualTo(2);
        assertThat(ops("dlq", "stats", "--dlq", "http://127.0.0.1:1/000000000000/nope").exit()).as("unreachable SQS").isEqualTo(1);
    }
}
