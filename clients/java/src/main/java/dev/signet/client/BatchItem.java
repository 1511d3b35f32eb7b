package dev.signet.client;

/** The outcome of one event of a batch: {@link Emitted}, or {@link Rejected} (a bad item fails alone). */
public sealed interface BatchItem permits Emitted, Rejected {
}
