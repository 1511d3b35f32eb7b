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
}
