package dev.signet.client;

/**
 * What to store for an event type: a description, optionally a JSON Schema (2020-12) its payloads
 * follow and an example payload (JsonNode, Map or your own class), whether ingest validates payloads
 * against the schema, and whether the type is deprecated.
 *
 * <pre>{@code EventTypeDefinition.describedAs("An order was paid").schema(schema).example(example).validating()}</pre>
 */
public record EventTypeDefinition(String description, Object schema, Object example, boolean validate, boolean deprecated) {
    public static EventTypeDefinition describedAs(String description) {
        return new EventTypeDefinition(description, null, null, false, false);
    }

    public EventTypeDefinition schema(Object schema) {
        return new EventTypeDefinition(description, schema, example, validate, deprecated);
    }

    public EventTypeDefinition example(Object example) {
        return new EventTypeDefinition(description, schema, example, validate, deprecated);
    }

    /** Ingest refuses (400) a payload of this type that fails the schema. */
    public EventTypeDefinition validating() {
        return new EventTypeDefinition(description, schema, example, true, deprecated);
    }

    public EventTypeDefinition deprecate() {
        return new EventTypeDefinition(description, schema, example, validate, true);
    }

    Object body() {
        return Transport.object("description", description, "schema", schema, "example", example,
                "validate", validate, "deprecated", deprecated);
    }
}
