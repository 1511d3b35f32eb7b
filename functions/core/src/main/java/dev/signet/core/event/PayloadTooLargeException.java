package dev.signet.core.event;

/** A request body over the limit (413). */
public final class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(int limitBytes) {
        super("request body is larger than " + (limitBytes / 1024) + " KiB", null, false, false);
    }
}
