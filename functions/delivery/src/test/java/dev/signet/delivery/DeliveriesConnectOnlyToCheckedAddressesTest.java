package dev.signet.delivery;

import com.sun.net.httpserver.HttpServer;
import dev.signet.core.urlguard.UrlGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: DNS rebinding. The guard resolves the host once and the HTTP client connects only to an
 * address that check passed: a name that answers an allowed address first and a forbidden one
 * afterwards never reaches the forbidden one. Both "hosts" are loopback addresses; the guard here
 * allows 127.0.0.1 only (standing in for a public address) and refuses 127.0.0.2 like any loopback.
 * The host names are not in any DNS: only the pinned answer can make them reachable.
 */
class DeliveriesConnectOnlyToCheckedAddressesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private int serve(String address, AtomicInteger hits, List<String> hostHeaders) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    /** Answers {@code first} to the first question about a name and {@code later} to every other one. */
    private static UrlGuard.Resolver rebinding(String first, String later, AtomicInteger questions) {
        return host -> {
            String answer = questions.getAndIncrement() == 0 ? first : later;
            try {
                return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.ofLiteral(answer).getAddress())};
            } catch (IllegalArgumentException e) {
                throw new UnknownHostException(host);
            }
        };
    }

    @Test
    void aNameThatRebindsToAnInternalAddressAfterTheCheckIsNotFollowedThere() throws Exception {
        AtomicInteger publicHits = new AtomicInteger();
        AtomicInteger internalHits = new AtomicInteger();
        List<String> hosts = new CopyOnWriteArrayList<>();
        int port = serve("127.0.0.1", publicHits, hosts);
        HttpServer internal = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), 0);
        internal.createContext("/", exchange -> {
            internalHits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        internal.start();
        servers.add(internal);
        AtomicInteger questions = new AtomicInteger();
        UrlGuard guard = new UrlGuard(true, List.of("127.0.0.1/32"), rebinding("127.0.0.1", "127.0.0.2", questions));

        String url = "http://rebind-once.signet.test:" + port + "/hook";
        WebhookSender.Result result = new WebhookClient(guard).send("POST", url, Map.of(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> assertThat(r.status()).isEqualTo(200));
        assertThat(publicHits).hasValue(1);
        assertThat(internalHits).hasValue(0);
        assertThat(questions).as("the host is resolved once, by the guard").hasValue(1);
        assertThat(hosts).containsExactly("rebind-once.signet.test:" + port); // the real name, as TLS SNI would see it
    }

    @Test
    void aNameThatNowResolvesToAnInternalAddressIsRefusedAsBlockedAndNotContacted() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        int port = serve("127.0.0.1", hits, new CopyOnWriteArrayList<>());
        AtomicInteger questions = new AtomicInteger();
        UrlGuard guard = new UrlGuard(true, List.of(), rebinding("127.0.0.1", "127.0.0.1", questions));

        WebhookSender.Result result = new WebhookClient(guard).send("POST", "http://now-internal.signet.test:" + port + "/hook",
                Map.of(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class, f -> {
            assertThat(f.blocked()).as("blocked: the delivery is abandoned, not retried").isTrue();
            assertThat(f.error()).contains("now-internal.signet.test").contains("non-public address").contains("which webhooks may not reach")
                    .as("the logged reason, which the tenant reads, does not name the internal address").doesNotContain("127.0.0.1");
        });
        assertThat(hits).hasValue(0);
    }

    @Test
    void anInternationalisedHostIsCheckedAndSentAsItsPunycodeName() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        List<String> hosts = new CopyOnWriteArrayList<>();
        int port = serve("127.0.0.1", hits, hosts);
        List<String> asked = new CopyOnWriteArrayList<>();
        UrlGuard guard = new UrlGuard(true, List.of("127.0.0.1/32"), host -> {
            asked.add(host);
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        });

        WebhookSender.Result result = new WebhookClient(guard).send("POST", "http://bücher.signet.test:" + port + "/hook",
                Map.of(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOf(WebhookSender.Response.class);
        assertThat(asked).containsExactly("xn--bcher-kva.signet.test");
        assertThat(hosts).containsExactly("xn--bcher-kva.signet.test:" + port);
    }

    @Test
    void aRedirectToLoopbackIsNotFollowed() throws Exception {
        AtomicInteger internalHits = new AtomicInteger();
        serve("127.0.0.2", internalHits, new CopyOnWriteArrayList<>());
        int internalPort = servers.getFirst().getAddress().getPort();
        HttpServer start = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        start.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.2:" + internalPort + "/admin");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        start.start();
        servers.add(start);
        UrlGuard guard = new UrlGuard(true, List.of("127.0.0.1/32"), InetAddress::getAllByName);

        WebhookSender.Result result = new WebhookClient(guard).send("POST",
                "http://127.0.0.1:" + start.getAddress().getPort() + "/hook", Map.of(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> assertThat(r.status()).isEqualTo(307));
        assertThat(internalHits).hasValue(0);
    }
}
