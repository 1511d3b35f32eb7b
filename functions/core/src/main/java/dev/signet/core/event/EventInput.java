package dev.signet.core.event;

/**
 * One event as emitted by the product, validated. {@code payload} is the exact JSON text of the
 * emitted object, byte for byte, so key order, number digits and string escapes survive delivery.
 */
public record EventInput(String type, String resource, String resourceId, String payload) {
}
