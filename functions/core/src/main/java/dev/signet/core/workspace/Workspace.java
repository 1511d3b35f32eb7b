package dev.signet.core.workspace;

import java.time.Instant;

/** A customer of the product; every endpoint, event and attempt belongs to exactly one. */
public record Workspace(String id, String name, Instant createdAt) {
}
