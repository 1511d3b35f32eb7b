package dev.signet.core.event;

/**
 * One element of a batch body as parsed: a valid event, or the problem that rejects this element
 * alone while the others are queued.
 */
public sealed interface BatchItem {
    record Valid(EventInput event) implements BatchItem {
    }

    record Invalid(InvalidInputException problem) implements BatchItem {
    }
}
