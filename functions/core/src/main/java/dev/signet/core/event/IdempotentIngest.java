package dev.signet.core.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;
import dev.signet.core.store.IdempotencyStore;
import dev.signet.core.store.IdempotencyStore.Claim;
import dev.signet.core.workspace.Credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An ingest request, run through {@link EventIntake} at most once per {@code Idempotency-Key} and
 * workspace for 24 hours (README, "Emit events"; openapi.yaml). The key is claimed before any work;
 * the response is stored once the events are queued and replayed to a repeated request; the same key
 * with a different body, or while the first request still runs, is refused. Without a key every
 * request is new. Builds the 202 bodies, since they are what is stored and replayed.
 */
public final class IdempotentIngest {
    static final int MAX_KEY_LENGTH = 255;

    private final EventIntake intake;
    private final IdempotencyStore records;

    public IdempotentIngest(EventIntake intake, IdempotencyStore records) {
        this.intake = intake;
        this.records = records;
    }

    /**
     * {@code POST /v1/events}.
     *
     * @param idempotencyKey     the header's value, or null when the request has none
     * @param requestFingerprint what makes two requests the same request (path and body)
     */
    public IngestResult single(String workspaceId, String idempotencyKey, String requestFingerprint, EventInput input) {
        return once(workspaceId, idempotencyKey, requestFingerprint,
                () -> singleBody(intake.accept(workspaceId, List.of(input)).getFirst()));
    }

    /** {@code POST /v1/events/batch}: the valid items are accepted, the invalid ones reported in their slots. */
    public IngestResult batch(String workspaceId, String idempotencyKey, String requestFingerprint, List<BatchItem> items) {
        List<EventInput> valid = new ArrayList<>();
        for (BatchItem item : items) {
            if (item instanceof BatchItem.Valid(EventInput event)) {
                valid.add(event);
            }
        }
        return once(workspaceId, idempotencyKey, requestFingerprint,
                () -> batchBody(items, intake.accept(workspaceId, valid)));
    }

    private IngestResult once(String workspaceId, String key, String requestFingerprint, Supplier<String> work) {
        if (key == null) {
            return new IngestResult.Answer(202, work.get());
        }
        checkKey(key);
        String keyHash = Credentials.hash(key);
        String requestHash = Credentials.hash(requestFingerprint);
        return switch (records.claim(workspaceId, keyHash, requestHash)) {
            case Claim.Replay r -> Credentials.same(r.requestHash(), requestHash)
                    ? new IngestResult.Answer(r.status(), r.body()) : new IngestResult.KeyReused();
            case Claim.InProgress p -> new IngestResult.KeyBusy();
            case Claim.Claimed c -> {
                String body;
                try {
                    body = work.get();
                } catch (RuntimeException e) {
                    records.release(workspaceId, keyHash);
                    throw e;
                }
                records.complete(workspaceId, keyHash, 202, body);
                yield new IngestResult.Answer(202, body);
            }
        };
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new InvalidInputException("Idempotency-Key", "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
        }
    }

    private static String singleBody(EventIntake.Accepted accepted) {
        return Json.write(result(Json.object(), accepted));
    }

    /** One result per item, in the order sent: the accepted ones take the intake's results in turn. */
    private static String batchBody(List<BatchItem> items, List<EventIntake.Accepted> accepted) {
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        int next = 0;
        for (BatchItem item : items) {
            switch (item) {
                case BatchItem.Valid v -> result(results.addObject(), accepted.get(next++));
                case BatchItem.Invalid(InvalidInputException problem) -> {
                    ObjectNode error = results.addObject().putObject("error");
                    error.put("code", "invalid_request").put("message", problem.getMessage());
                    if (problem.field() != null) {
                        error.put("field", problem.field());
                    }
                }
            }
        }
        return Json.write(body);
    }

    private static ObjectNode result(ObjectNode node, EventIntake.Accepted accepted) {
        return node.put("id", accepted.eventId()).put("deliveries", accepted.deliveries());
    }
}
