package dev.signet.delivery;

import dev.signet.core.endpoint.ClientCertificate;
import dev.signet.core.urlguard.UrlGuard;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;

/**
 * Sends one webhook request. The {@link UrlGuard} runs inside, before every request, so no caller can
 * skip it, and the connection goes only to the addresses it checked ({@link PinnedAddresses}). Redirects are never followed; the whole exchange (connect, headers, body) is bounded by the
 * endpoint's timeout, and at most {@link #MAX_RESPONSE_BYTES} of the response body are read. An
 * endpoint with a client certificate is sent to through an HTTP client of its own that presents it
 * ({@link ClientCertificateClients}); the guard, the pinning and the bounds are the same.
 */
public final class WebhookClient implements WebhookSender, AutoCloseable {
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;
    /** One sweeper for every client in the process: deadlines are per exchange, not per client. */
    private static final ExchangeDeadlines DEADLINES = new ExchangeDeadlines(ExchangeDeadlines.TICK);

    private final HttpClient http;
    private final UrlGuard guard;
    /** HTTP clients presenting an endpoint's client certificate (mutual TLS), one per certificate. */
    private final ClientCertificateClients withCertificate;

    public WebhookClient(UrlGuard guard) {
        this(guard, null);
    }

    /**
     * @param trust checks receivers' certificates; null (always, in the functions): the JDK's default trust
     *              store. Tests whose receivers have a certificate authority of their own pass its trust
     *              managers; there is no way to turn the check off
     */
    public WebhookClient(UrlGuard guard, TrustManager[] trust) {
        this.guard = guard;
        this.http = trust == null ? newHttpClient(null) : newHttpClient(context(trust));
        this.withCertificate = new ClientCertificateClients(WebhookClient::newHttpClient, trust);
    }

    /**
     * Where the HTTP clients run their asynchronous steps: a virtual thread per step, shared by every
     * client of the process (it pools nothing, so it needs no closing). {@code sendAsync} always hands
     * the exchange to the client's executor; the JDK's default, a pool of platform threads, made that a
     * thread wake-up per request and cost about 40 % more CPU per request than virtual threads on
     * loopback (BENCHMARKS.md, "the delivery core is 8 µs").
     */
    private static final ExecutorService EXCHANGES = Executors.newVirtualThreadPerTaskExecutor();

    /** Redirects never followed, HTTP/1.1, the connect timeout; {@code tls} null: the JDK's default TLS set-up. */
    private static HttpClient newHttpClient(SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .executor(EXCHANGES)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    private static SSLContext context(TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    @Override
    public Result send(String method, String url, Map<String, String> headers, byte[] body, Duration timeout) {
        return send(method, url, headers, body, timeout, null);
    }

    /**
     * Sends as {@link #send(String, String, Map, byte[], Duration)} does, presenting {@code certificate}
     * on the TLS handshake when it is not null (the endpoint's {@code tls_client_certificate}). A
     * certificate that has expired since it was saved fails the attempt with that reason, without a
     * request; the delivery is retried, so a new certificate saved in time is used.
     */
    @Override
    public Result send(String method, String url, Map<String, String> headers, byte[] body, Duration timeout,
                       ClientCertificate certificate) {
        long started = System.nanoTime();
        UrlGuard.Target target;
        try {
            target = guard.target(url);
        } catch (UrlGuard.BlockedUrlException e) {
            return new Failure(e.getMessage(), elapsed(started), true);
        }
        HttpClient client = http;
        if (certificate != null) {
            try {
                certificate.requireValidAt(Instant.now());
            } catch (ClientCertificate.InvalidClientCertificateException e) {
                return new Failure("tls_client_certificate: " + e.getMessage() + "; save a new one on the endpoint", elapsed(started));
            }
            client = withCertificate.forCertificate(certificate);
        }
        // The client resolves the host itself: pinned, it gets only the addresses just checked (no rebinding).
        try (PinnedAddresses.Handle pin = PinnedAddresses.pin(target.host(), target.addresses())) {
            return exchange(client, target.uri(), method, headers, body, timeout, started);
        }
    }

    /**
     * Closes the HTTP client (its connections and selector thread). The function's own client lives as long
     * as the function; priming closes the one it sends with before the snapshot.
     */
    @Override
    public void close() {
        http.close();
    }

    /** How many certificate-presenting HTTP clients are kept (bounded by {@link ClientCertificateClients#MAX_CLIENTS}). */
    int clientsWithCertificates() {
        return withCertificate.size();
    }

    private Result exchange(HttpClient http, URI uri, String method, Map<String, String> headers, byte[] body, Duration timeout, long started) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request.build(), info -> new CappedBody(MAX_RESPONSE_BYTES));
        // The request's own timeout ends a wait for the response headers precisely; the watch bounds
        // the rest (connect, TLS, a trickling body) within a tick, without a timer per request.
        try (ExchangeDeadlines.Watch watch = DEADLINES.watch(future, timeout)) {
            try {
                HttpResponse<byte[]> response = future.get();
                return new Response(response.statusCode(), response.headers().map(), response.body(), elapsed(started));
            } catch (CancellationException e) {
                return new Failure(watch.expired() ? timedOut(timeout) : "cancelled", elapsed(started));
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                return new Failure("interrupted", elapsed(started));
            } catch (ExecutionException e) {
                // Cancelled mid-body, the client fails the exchange with its own "Request cancelled".
                return new Failure(watch.expired() ? timedOut(timeout) : describe(e.getCause(), timeout), elapsed(started));
            }
        }
    }

    private static String timedOut(Duration timeout) {
        return "timed out after " + timeout.toSeconds() + " s";
    }

    private static String describe(Throwable t, Duration timeout) {
        if (t instanceof HttpTimeoutException) {
            return timedOut(timeout);
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused or unreachable";
        }
        if (t instanceof javax.net.ssl.SSLException) {
            return "TLS handshake failed: " + t.getMessage();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Collects at most {@code limit} bytes of a response body, then stops reading. */
    static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int limit;
        private Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), limit - bytes.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                bytes.write(chunk, 0, n);
                if (bytes.size() >= limit) {
                    subscription.cancel();
                    result.complete(bytes.toByteArray());
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
