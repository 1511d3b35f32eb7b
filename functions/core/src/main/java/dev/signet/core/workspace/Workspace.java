package dev.signet.core.workspace;

import dev.signet.core.ids.Ids;

import java.time.Instant;

/**
 * A customer of the product; every endpoint, event and attempt belongs to exactly one.
 *
 * @param generation   drawn when the workspace is created and part of every key of its events,
 *                     attempts and Idempotency-Key records, so a workspace created again with the same
 *                     id starts empty and reaches nothing of the deleted one (ARCHITECTURE.md,
 *                     "Workspace generations"); "" for a workspace created before generations existed
 * @param sessionEpoch sessions carry the epoch they were minted in; revoking a workspace's sessions
 *                     moves it on, which ends every earlier session at once
 */
public record Workspace(String id, String name, Instant createdAt, String generation, long sessionEpoch) {
    /** The generation of a workspace created before generations existed: its keys have none. */
    public static final String NO_GENERATION = "";

    public Workspace {
        if (generation == null) {
            throw new IllegalArgumentException("generation must not be null (\"\" for none)");
        }
    }

    /** A new workspace: a fresh generation (a ULID, so listing by it is listing by creation), no session revoked yet. */
    public static Workspace create(String id, String name, Instant createdAt, Instant now) {
        return new Workspace(id, name, createdAt, Ids.newId("", now), 0);
    }
}
