package dev.signet.core.event;

/** How an ingest request ended, for the ingest function to turn into its HTTP answer. */
public sealed interface IngestResult {
    /** The response to send: this request's, or the stored one of the first request with its Idempotency-Key. */
    record Answer(int status, String body) implements IngestResult {
    }

    /** The Idempotency-Key was already used in this workspace with a different request body. */
    record KeyReused() implements IngestResult {
    }

    /** A request with this Idempotency-Key is still running. */
    record KeyBusy() implements IngestResult {
    }

    /**
     * The events are stored but only {@code queued} of their {@code deliveries} could be queued.
     * {@code resumable}: the request had an Idempotency-Key, so retrying it with the same key queues
     * exactly the rest; without one, a retry is a new request with new events.
     */
    record Unfinished(int queued, int deliveries, boolean resumable) implements IngestResult {
    }
}
