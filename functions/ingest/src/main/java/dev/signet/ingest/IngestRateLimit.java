package dev.signet.ingest;

import dev.signet.api.ApiException;
import dev.signet.api.ApiGateway;
import dev.signet.api.ApiResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Events per second per workspace, as a token bucket held in this function instance's memory
 * ({@code SIGNET_INGEST_RATE_LIMIT}; default 100 in Lambda, off in local mode; 0 turns it off). A bucket holds one second's worth
 * of events; a batch takes one token per event and may run the bucket into debt, which the next
 * requests wait out. Being per instance, it costs no AWS request and no latency, but N concurrent
 * instances admit up to N times the limit: it stops a runaway producer, while the API Gateway
 * throttle and the function's concurrency bound the total. A DynamoDB counter would be exact at
 * one write per request.
 */
final class IngestRateLimit {
    private static final int MAX_TRACKED_WORKSPACES = 10_000;

    private final int perSecond;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    IngestRateLimit(int perSecond, LongSupplier nanos) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("SIGNET_INGEST_RATE_LIMIT must be 0 (off) or a positive number of events per second");
        }
        this.perSecond = perSecond;
        this.nanos = nanos;
    }

    /** Takes {@code events} tokens from the workspace's bucket: null if admitted, else a 429 with {@code Retry-After}. */
    ApiResponse refusal(String workspaceId, int events) {
        long wait = waitSeconds(workspaceId, events);
        if (wait == 0) {
            return null;
        }
        ApiResponse error = ApiGateway.error(ApiException.rateLimited("this workspace sends more than " + perSecond
                + " events per second; retry after " + wait + " s"));
        Map<String, String> headers = new LinkedHashMap<>(error.headers());
        headers.put("retry-after", Long.toString(wait));
        return new ApiResponse(error.status(), headers, error.body());
    }

    /** 0 when admitted (tokens taken); else whole seconds until the bucket admits again. */
    long waitSeconds(String workspaceId, int events) {
        if (perSecond == 0) {
            return 0;
        }
        if (buckets.size() > MAX_TRACKED_WORKSPACES) {
            buckets.clear(); // a crude bound on memory; at worst a burst slips through once
        }
        return buckets.computeIfAbsent(workspaceId, k -> new Bucket(perSecond, nanos.getAsLong())).take(events, perSecond, nanos.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.last = now;
        }

        synchronized long take(int events, int perSecond, long now) {
            tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens < 1) {
                return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
            }
            tokens -= events;
            return 0;
        }
    }
}
