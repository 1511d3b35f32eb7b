package dev.signet.core.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.event.EventIntake.Plan;
import dev.signet.core.event.EventIntake.Progress;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.core.store.IdempotencyStore;
import dev.signet.core.store.IdempotencyStore.Claim;
import dev.signet.core.workspace.Credentials;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An ingest request, run through {@link EventIntake} at most once per {@code Idempotency-Key} and
 * workspace for 24 hours (README, "Emit events"; openapi.yaml). The key is claimed before any work,
 * together with a checkpoint of the plan (event ids, time, target endpoints); the response is stored
 * once every delivery is queued and replayed to a repeated request; the same key with a different
 * body, or while the first request still runs, is refused. A request that fails part-way releases
 * the key with a checkpoint of what it did, so a retry with the same key answers with the same event
 * ids and queues each missing delivery once. Without a key every request is new. Builds the 202
 * bodies, since they are what is stored and replayed.
 */
public final class IdempotentIngest {
    static final int MAX_KEY_LENGTH = 255;

    private final EventIntake intake;
    private final IdempotencyStore records;

    public IdempotentIngest(EventIntake intake, IdempotencyStore records) {
        this.intake = intake;
        this.records = records;
    }

    /** Who asks (the workspace and its generation), under which Idempotency-Key (null: none), and until when sends may start. */
    public record Request(String workspaceId, String generation, String idempotencyKey, String fingerprint, Instant sendDeadline) {
    }

    /** {@code POST /v1/events}. */
    public IngestResult single(Request request, EventInput input) {
        return run(request, List.of(input), accepted -> Json.write(result(Json.object(), accepted.getFirst())));
    }

    /** {@code POST /v1/events/batch}: the valid items are accepted, the invalid ones reported in their slots. */
    public IngestResult batch(Request request, List<BatchItem> items) {
        List<EventInput> valid = new ArrayList<>();
        for (BatchItem item : items) {
            if (item instanceof BatchItem.Valid(EventInput event)) {
                valid.add(event);
            }
        }
        return run(request, valid, accepted -> batchBody(items, accepted));
    }

    private IngestResult run(Request request, List<EventInput> inputs, Function<List<EventIntake.Accepted>, String> respond) {
        String ws = request.workspaceId();
        String key = request.idempotencyKey();
        if (key != null) {
            checkKey(key);
        }
        String gen = request.generation();
        Plan fresh = intake.plan(ws, gen, inputs);
        if (key == null) {
            Progress done = intake.carryOut(fresh, Progress.NONE, request.sendDeadline());
            return done.completes(fresh) ? new IngestResult.Answer(202, respond.apply(fresh.accepted()))
                    : new IngestResult.Unfinished(done.queuedCount(), fresh.deliveries(), false);
        }
        String keyHash = Credentials.hash(key);
        String freshCheckpoint = IntakeCheckpoint.of(fresh, Progress.NONE).toJson();
        return switch (records.claim(ws, gen, keyHash, Credentials.hash(request.fingerprint()), freshCheckpoint)) {
            case Claim.Replay r -> new IngestResult.Answer(r.status(), r.body());
            case Claim.Conflict c -> new IngestResult.KeyReused();
            case Claim.InProgress p -> new IngestResult.KeyBusy();
            case Claim.Claimed c -> finish(request, keyHash,
                    IntakeCheckpoint.fromJson(c.checkpoint() != null ? c.checkpoint() : freshCheckpoint), inputs, respond);
        };
    }

    /** Carries the claimed request on from {@code from}; whatever happens, the key's record says how far it got. */
    private IngestResult finish(Request request, String keyHash, IntakeCheckpoint from, List<EventInput> inputs,
                                Function<List<EventIntake.Accepted>, String> respond) {
        String ws = request.workspaceId();
        String gen = request.generation();
        Plan plan = from.plan(ws, gen, inputs);
        Progress done;
        try {
            done = intake.carryOut(plan, from.progress(), request.sendDeadline());
        } catch (RuntimeException e) {
            releaseAfter(e, ws, gen, keyHash, from.toJson());
            throw e;
        }
        if (!done.completes(plan)) {
            records.release(ws, gen, keyHash, IntakeCheckpoint.of(plan, done).toJson());
            return new IngestResult.Unfinished(done.queuedCount(), plan.deliveries(), true);
        }
        String body = respond.apply(plan.accepted());
        try {
            records.complete(ws, gen, keyHash, 202, body);
        } catch (RuntimeException e) {
            // Every delivery is queued, so the answer is 202 all the same. Released with a complete
            // checkpoint, the key lets a repeat of the request rebuild this answer without sending.
            Log.error("idempotency record not completed", e, f -> f.put("workspace_id", ws));
            releaseAfter(e, ws, gen, keyHash, IntakeCheckpoint.of(plan, done).toJson());
        }
        return new IngestResult.Answer(202, body);
    }

    private void releaseAfter(RuntimeException failure, String ws, String gen, String keyHash, String checkpoint) {
        try {
            records.release(ws, gen, keyHash, checkpoint);
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // the record stays claimed; its lock lapses and a retry resumes from the claim's checkpoint
        }
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new InvalidInputException("Idempotency-Key", "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " printable ASCII characters");
        }
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
