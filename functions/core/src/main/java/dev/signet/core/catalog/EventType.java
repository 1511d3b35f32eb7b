package dev.signet.core.catalog;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the deployment's event type catalog (openapi.yaml, "Event types"): what the type means,
 * the JSON Schema (2020-12) of its payload and an example payload, both kept as the JSON text they
 * were saved as. With {@code validate}, ingest refuses a payload of this type that fails the schema.
 *
 * @param schema  JSON Schema text, or null
 * @param example an example payload (a JSON object's text), or null; a test event of the type carries it
 */
public record EventType(String name, String description, String schema, String example, boolean validate,
                        boolean deprecated, Instant updatedAt) {
    /** The same rule as an ingested event's {@code event} field. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    public EventType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
