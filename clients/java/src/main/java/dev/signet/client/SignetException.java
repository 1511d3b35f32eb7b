package dev.signet.client;

/**
 * Anything that kept a Signet call from succeeding. Unchecked, like the JDK's own HTTP client
 * wrappers in most SDKs: a backend usually lets it travel to one handler, and catches
 * {@link SignetApiException} where it wants to act on a particular answer.
 */
public abstract class SignetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SignetException(String message, Throwable cause) {
        super(message, cause);
    }
}
