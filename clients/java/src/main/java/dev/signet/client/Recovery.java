package dev.signet.client;

/** What a recover queued in all: {@code queued} events, in {@code requests} calls (more than one when the server asked to resume). */
public record Recovery(int queued, int requests) {
}
