package dev.signet.core.event;

/** Bad input from a caller: the message tells a person what to fix, {@code field} names where. */
public class InvalidInputException extends RuntimeException {
    private final String field;

    public InvalidInputException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
