package dev.signet.testkit;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.store.ConfigStore;
import dev.signet.core.workspace.IngestKeyOwner;
import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The config table in memory: workspaces, credential hashes, sessions and endpoints, with the same
 * conditional behaviour as the DynamoDB adapter (create only if absent, replace only if unchanged,
 * disable only if enabled, an endpoint only while its workspace has that generation and room for it).
 * Counts endpoint reads, so tests can pin what a cache saves.
 */
public final class InMemoryConfigStore implements ConfigStore {
    private final Faults faults = new Faults();
    private final Map<String, Workspace> workspaces = new ConcurrentHashMap<>();
    private final Map<String, String> ingestKeyByWorkspace = new ConcurrentHashMap<>();
    private final Map<String, IngestKeyOwner> ownerByIngestKey = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();
    private final AtomicLong endpointReads = new AtomicLong();

    private static String key(String workspaceId, String endpointId) {
        return workspaceId + "/" + endpointId;
    }

    /** Puts an endpoint as it is, whatever was there (test set-up; no workspace needed). */
    public InMemoryConfigStore put(Endpoint endpoint) {
        endpoints.put(key(endpoint.workspaceId(), endpoint.id()), endpoint);
        return this;
    }

    public long endpointReads() {
        return endpointReads.get();
    }

    public Optional<Instant> failingSinceOf(String workspaceId, String endpointId) {
        return Optional.ofNullable(failingSince.get(key(workspaceId, endpointId)));
    }

    // ---- workspaces -----------------------------------------------------------------------------

    /** Failures to inject into this port's operations (by method name). */
    public Faults faults() {
        return faults;
    }

    @Override
    public synchronized boolean create(Workspace workspace, String ingestKeyHash) {
        if (workspaces.containsKey(workspace.id()) || ownerByIngestKey.containsKey(ingestKeyHash)) {
            return false;
        }
        workspaces.put(workspace.id(), workspace);
        ingestKeyByWorkspace.put(workspace.id(), ingestKeyHash);
        ownerByIngestKey.put(ingestKeyHash, new IngestKeyOwner(workspace.id(), workspace.generation()));
        return true;
    }

    @Override
    public Optional<Workspace> get(String workspaceId) {
        return Optional.ofNullable(workspaces.get(workspaceId));
    }

    @Override
    public synchronized WorkspacePage list(String after, int limit) {
        List<Workspace> all = workspaces.values().stream().filter(w -> !w.generation().isEmpty())
                .filter(w -> after == null || w.generation().compareTo(after) > 0)
                .sorted(Comparator.comparing(Workspace::generation)).toList();
        List<Workspace> page = all.subList(0, Math.min(limit, all.size()));
        return new WorkspacePage(page, all.size() > limit ? page.getLast().generation() : null);
    }

    @Override
    public Optional<IngestKeyOwner> ingestKeyOwner(String ingestKeyHash) {
        return Optional.ofNullable(ownerByIngestKey.get(ingestKeyHash));
    }

    @Override
    public synchronized boolean replaceIngestKey(String workspaceId, String newIngestKeyHash) {
        String old = ingestKeyByWorkspace.get(workspaceId);
        if (old == null) {
            return false;
        }
        ownerByIngestKey.remove(old);
        ownerByIngestKey.put(newIngestKeyHash, new IngestKeyOwner(workspaceId, workspaces.get(workspaceId).generation()));
        ingestKeyByWorkspace.put(workspaceId, newIngestKeyHash);
        return true;
    }

    @Override
    public synchronized boolean createSession(String tokenHash, Session session) {
        Workspace w = workspaces.get(session.workspaceId());
        if (w == null || !session.belongsTo(w)) {
            return false;
        }
        sessions.put(tokenHash, session);
        return true;
    }

    @Override
    public Optional<Session> session(String tokenHash) {
        return Optional.ofNullable(sessions.get(tokenHash));
    }

    @Override
    public synchronized boolean revokeSessions(String workspaceId) {
        Workspace w = workspaces.get(workspaceId);
        if (w == null) {
            return false;
        }
        workspaces.put(workspaceId, new Workspace(w.id(), w.name(), w.createdAt(), w.generation(), w.sessionEpoch() + 1));
        return true;
    }

    @Override
    public synchronized boolean deleteWorkspace(String workspaceId, String generation) {
        Workspace w = workspaces.get(workspaceId);
        if (w == null || !w.generation().equals(generation) || !list(workspaceId).isEmpty()) {
            return false;
        }
        workspaces.remove(workspaceId);
        String hash = ingestKeyByWorkspace.remove(workspaceId);
        if (hash != null) {
            ownerByIngestKey.remove(hash);
        }
        return true;
    }

    // ---- endpoints ------------------------------------------------------------------------------

    @Override
    public synchronized Creation create(Endpoint endpoint, String generation, int limit) {
        Workspace w = workspaces.get(endpoint.workspaceId());
        if (w == null || !w.generation().equals(generation)) {
            return Creation.NO_WORKSPACE;
        }
        if (list(endpoint.workspaceId()).size() >= limit) {
            return Creation.AT_LIMIT;
        }
        if (endpoints.putIfAbsent(key(endpoint.workspaceId(), endpoint.id()), endpoint) != null) {
            throw new IllegalStateException("endpoint " + endpoint.id() + " exists");
        }
        return Creation.CREATED;
    }

    @Override
    public Optional<Endpoint> get(String workspaceId, String endpointId) {
        faults.check("get");
        endpointReads.incrementAndGet();
        return Optional.ofNullable(endpoints.get(key(workspaceId, endpointId)));
    }

    @Override
    public List<Endpoint> list(String workspaceId) {
        return endpoints.values().stream().filter(e -> e.workspaceId().equals(workspaceId))
                .sorted(Comparator.comparing(Endpoint::id)).toList();
    }

    @Override
    public synchronized boolean replace(Endpoint expected, Endpoint updated) {
        faults.check("replace");
        Endpoint current = endpoints.get(key(expected.workspaceId(), expected.id()));
        if (current == null || !current.updatedAt().equals(expected.updatedAt()) || current.enabled() != expected.enabled()
                || !current.credentials().equals(expected.credentials())) {
            return false;
        }
        endpoints.put(key(updated.workspaceId(), updated.id()), updated);
        return true;
    }

    @Override
    public synchronized boolean setEnabled(String workspaceId, String endpointId, boolean enabled, String disabledReason, Instant at) {
        Endpoint e = endpoints.get(key(workspaceId, endpointId));
        if (e == null) {
            return false;
        }
        endpoints.put(key(workspaceId, endpointId), withEnabled(e, enabled, disabledReason, at));
        if (enabled) {
            failingSince.remove(key(workspaceId, endpointId));
        }
        return true;
    }

    @Override
    public synchronized boolean disableIfEnabled(String workspaceId, String endpointId, String disabledReason, Instant at) {
        faults.check("disableIfEnabled");
        Endpoint e = endpoints.get(key(workspaceId, endpointId));
        if (e == null || !e.enabled()) {
            return false;
        }
        endpoints.put(key(workspaceId, endpointId), withEnabled(e, false, disabledReason, at));
        return true;
    }

    private static Endpoint withEnabled(Endpoint e, boolean enabled, String reason, Instant at) {
        return new Endpoint(e.id(), e.workspaceId(), e.url(), e.description(), e.method(), e.payloadFormat(), e.eventTypes(),
                e.headers(), e.authType(), e.timeoutSeconds(), enabled, enabled ? null : reason, e.credentials(),
                e.createdAt(), at.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    public synchronized boolean delete(String workspaceId, String endpointId) {
        return endpoints.remove(key(workspaceId, endpointId)) != null;
    }

    @Override
    public synchronized Instant failingSince(String workspaceId, String endpointId, Instant at) {
        faults.check("failingSince");
        if (!endpoints.containsKey(key(workspaceId, endpointId))) {
            return null;
        }
        return failingSince.computeIfAbsent(key(workspaceId, endpointId), k -> at);
    }

    @Override
    public void recovered(String workspaceId, String endpointId) {
        failingSince.remove(key(workspaceId, endpointId));
    }

    // ---- request slots ----------------------------------------------------------------------------

    private final Map<String, Instant[]> slotsByEndpoint = new ConcurrentHashMap<>();
    private final AtomicLong slotTakes = new AtomicLong();

    @Override
    public synchronized Slot tryTake(String workspaceId, String endpointId, int slots, java.time.Duration hold, Instant now) {
        faults.check("tryTake");
        Instant[] held = slotsByEndpoint.compute(key(workspaceId, endpointId),
                (k, v) -> v == null || v.length < slots ? java.util.Arrays.copyOf(v == null ? new Instant[0] : v, slots) : v);
        for (int i = 0; i < slots; i++) {
            if (held[i] == null || held[i].isBefore(now)) {
                held[i] = now.plus(hold);
                slotTakes.incrementAndGet();
                return new Slot(workspaceId, endpointId, i, held[i]);
            }
        }
        return null;
    }

    @Override
    public synchronized void release(Slot slot) {
        Instant[] held = slotsByEndpoint.get(key(slot.workspaceId(), slot.endpointId()));
        if (held != null && slot.index() < held.length && slot.expiresAt().equals(held[slot.index()])) {
            held[slot.index()] = null;
        }
    }

    /** Slots of the endpoint held (unexpired) at {@code now}. */
    public synchronized int slotsHeld(String workspaceId, String endpointId, Instant now) {
        Instant[] held = slotsByEndpoint.get(key(workspaceId, endpointId));
        int n = 0;
        if (held != null) {
            for (Instant t : held) {
                if (t != null && !t.isBefore(now)) {
                    n++;
                }
            }
        }
        return n;
    }

    private final Map<String, Pace> paces = new ConcurrentHashMap<>();
    private final AtomicLong paceWrites = new AtomicLong();

    @Override
    public Pace pace(String workspaceId, String endpointId) {
        faults.check("pace");
        return paces.get(key(workspaceId, endpointId));
    }

    @Override
    public void recordPace(String workspaceId, String endpointId, Pace pace, Instant now) {
        faults.check("recordPace");
        paceWrites.incrementAndGet();
        paces.put(key(workspaceId, endpointId), pace);
    }

    public long paceWrites() {
        return paceWrites.get();
    }

    /** How many slots were ever taken. */
    public long slotTakes() {
        return slotTakes.get();
    }
}
