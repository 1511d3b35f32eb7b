package dev.signet.api.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harrel.jsonschema.Error;
import dev.harrel.jsonschema.InvalidSchemaException;
import dev.harrel.jsonschema.JsonSchemaException;
import dev.harrel.jsonschema.Validator;
import dev.harrel.jsonschema.ValidatorFactory;
import dev.harrel.jsonschema.providers.JacksonNode;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Schema (2020-12) of one event type's payload, compiled once and used for every payload of
 * that type (ARCHITECTURE.md, "The event type catalog"). A schema is refused when it is not valid
 * 2020-12, names another dialect, or refers to anything outside itself: a {@code $ref} is resolved
 * only within the schema, never fetched, so saving a schema can make Signet reach nothing.
 */
public final class PayloadSchema {
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    /** What is wrong, at which JSON Pointer of the checked document ("" is the document itself). */
    public record Violation(String pointer, String message) {
    }

    /** A schema that cannot be used; {@code pointer} is where in the schema the problem is. */
    public static final class InvalidSchema extends RuntimeException {
        private final String pointer;

        InvalidSchema(String pointer, String message) {
            super(message, null, false, false);
            this.pointer = pointer;
        }

        public String pointer() {
            return pointer;
        }
    }

    private final String typeName;
    private final Validator validator;
    private final URI uri;

    private PayloadSchema(String typeName, Validator validator, URI uri) {
        this.typeName = typeName;
        this.validator = validator;
        this.uri = uri;
    }

    /** Compiles the schema of {@code typeName}; throws {@link InvalidSchema} saying what to fix. */
    public static PayloadSchema compile(String typeName, JsonNode schema) {
        if (schema == null || !(schema.isObject() || schema.isBoolean())) {
            throw new InvalidSchema("", "schema must be a JSON Schema (2020-12): an object or a boolean");
        }
        JsonNode dialect = schema.get("$schema");
        if (dialect != null && !(dialect.isTextual() && (dialect.asText().equals(DIALECT) || dialect.asText().equals(DIALECT + "#")))) {
            throw new InvalidSchema("/$schema", "schema must be JSON Schema 2020-12: leave out $schema or set it to \"" + DIALECT + "\"");
        }
        checkReferencesStayInside(schema, "");
        // One validator per schema: two types' schemas may declare the same $id without clashing.
        Validator validator = new ValidatorFactory().withJsonNodeFactory(new JacksonNode.Factory()).createValidator();
        URI uri = URI.create("urn:signet:event-type:" + typeName);
        try {
            validator.registerSchema(uri, schema);
        } catch (InvalidSchemaException e) {
            Error first = e.getErrors().isEmpty() ? null : e.getErrors().getFirst();
            String at = first == null ? "" : first.getInstanceLocation();
            throw new InvalidSchema(at, "schema is not valid JSON Schema 2020-12"
                    + (first == null ? "" : " at " + (at.isEmpty() ? "its root" : at) + ": " + first.getError()));
        } catch (JsonSchemaException | IllegalArgumentException e) {
            throw new InvalidSchema("", "schema could not be compiled: " + e.getMessage());
        }
        return new PayloadSchema(typeName, validator, uri);
    }

    /** The first value of {@code payload} that fails the schema, or empty when it satisfies it. */
    public Optional<Violation> check(JsonNode payload) {
        Validator.Result result = validator.validate(uri, payload);
        if (result.isValid()) {
            return Optional.empty();
        }
        List<Error> errors = result.getErrors();
        if (errors.isEmpty()) {
            return Optional.of(new Violation("", "does not match the schema of event type \"" + typeName + "\""));
        }
        Error first = errors.getFirst();
        return Optional.of(new Violation(first.getInstanceLocation(), "does not match the schema of event type \"" + typeName + "\" at "
                + (first.getInstanceLocation().isEmpty() ? "its root" : first.getInstanceLocation()) + ": " + first.getError()
                + " (schema " + first.getEvaluationPath() + ")"));
    }

    /** Every {@code $ref}, {@code $dynamicRef} and {@code $recursiveRef} must point within the schema ("#…"). */
    private static void checkReferencesStayInside(JsonNode node, String at) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                String here = at + "/" + f.getKey().replace("~", "~0").replace("/", "~1");
                boolean ref = f.getKey().equals("$ref") || f.getKey().equals("$dynamicRef") || f.getKey().equals("$recursiveRef");
                if (ref && f.getValue().isTextual() && !f.getValue().asText().startsWith("#")) {
                    throw new InvalidSchema(here, "schema may refer only to itself: " + f.getKey() + " must start with \"#\" "
                            + "(Signet never fetches another schema); put shared parts under $defs");
                }
                checkReferencesStayInside(f.getValue(), here);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkReferencesStayInside(node.get(i), at + "/" + i);
            }
        }
    }
}
