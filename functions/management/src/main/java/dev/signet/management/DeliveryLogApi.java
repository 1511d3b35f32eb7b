package dev.signet.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.event.Attempt;
import dev.signet.core.json.Json;
import dev.signet.core.store.DeliveryLog;
import dev.signet.core.store.DeliveryLog.AttemptLogPage;
import dev.signet.core.store.DeliveryLog.AttemptLogQuery;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.EventStore.EventHistory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The delivery log and an event's detail (openapi.yaml; README.md, "Delivery log, retry and recover"):
 * read-only, admin key or a session of the workspace.
 */
final class DeliveryLogApi {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    /** Ids Signet generates, and nothing that could reach past a key's prefix. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern ATTEMPT_ID = Pattern.compile("att_[0-9A-HJKMNP-TV-Z]{26}");

    private final WorkspaceApi workspaces;
    private final EventStore events;
    private final DeliveryLog log;

    DeliveryLogApi(WorkspaceApi workspaces, EventStore events, DeliveryLog log) {
        this.workspaces = workspaces;
        this.events = events;
        this.log = log;
    }

    /** {@code GET /v1/workspaces/{ws}/attempts}: newest first, a page at a time. */
    ApiResponse attempts(Principal p, String workspaceId, ApiRequest request) {
        Access.adminOrSession(p, workspaceId);
        Map<String, String> query = request.query();
        String endpointId = id(query, "endpoint_id");
        String eventId = id(query, "event_id");
        Attempt.Status status = status(query.get("status"));
        int limit = limit(query.get("limit"));
        String generation = workspaces.generation(p, workspaceId);
        // Bound to the generation too: a cursor of a deleted workspace reads nothing of its successor.
        String filters = fingerprint(workspaceId + "#" + generation, endpointId, eventId, status);
        String before = Cursor.read(query.get("cursor"), filters);

        AttemptLogPage page = log.attempts(new AttemptLogQuery(workspaceId, generation, endpointId, eventId, status, before, limit));
        String next = page.continueBefore() == null ? null : Cursor.write(page.continueBefore(), filters);
        return ApiResponse.json(200, LogViews.attemptPage(page.attempts(), next));
    }

    /** {@code GET /v1/workspaces/{ws}/events/{evt}}: the event as emitted, and where each delivery stands. */
    ApiResponse event(Principal p, String workspaceId, String eventId) {
        Access.adminOrSession(p, workspaceId);
        if (!ID.matcher(eventId).matches()) {
            throw noSuchEvent();
        }
        EventHistory history = events.history(workspaceId, workspaces.generation(p, workspaceId), eventId)
                .orElseThrow(DeliveryLogApi::noSuchEvent);
        return ApiResponse.json(200, LogViews.event(history.event(), deliveries(history)));
    }

    static ApiException noSuchEvent() {
        return ApiException.notFound("no such event in this workspace (events are kept for the retention period)");
    }

    /**
     * One entry per endpoint the event was fanned out to (in that order), then any other endpoint that
     * has attempts of it; the status is the latest attempt's delivery status, or pending before the first.
     */
    static List<LogViews.Delivery> deliveries(EventHistory history) {
        Map<String, List<Attempt>> byEndpoint = new LinkedHashMap<>();
        history.event().endpointIds().forEach(ep -> byEndpoint.put(ep, new ArrayList<>()));
        for (Attempt a : history.attempts()) {
            byEndpoint.computeIfAbsent(a.endpointId(), ep -> new ArrayList<>()).add(a);
        }
        List<LogViews.Delivery> out = new ArrayList<>();
        byEndpoint.forEach((ep, attempts) -> {
            String status = attempts.stream().max((x, y) -> x.id().compareTo(y.id()))
                    .map(a -> a.deliveryStatus().wire())
                    .orElse(Attempt.DeliveryStatus.PENDING.wire());
            out.add(new LogViews.Delivery(ep, status, attempts.size()));
        });
        return out;
    }

    private static String id(Map<String, String> query, String field) {
        String v = query.get(field);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!ID.matcher(v).matches()) {
            throw ApiException.invalid(field, field + " must be an id such as the ones Signet returns (1 to 128 of A-Z a-z 0-9 _ -)");
        }
        return v;
    }

    private static Attempt.Status status(String v) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        return switch (v) {
            case "succeeded" -> Attempt.Status.SUCCEEDED;
            case "failed" -> Attempt.Status.FAILED;
            default -> throw ApiException.invalid("status", "status must be \"succeeded\" or \"failed\"");
        };
    }

    private static int limit(String v) {
        if (v == null || v.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        if (v.length() <= 3 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        }
        throw ApiException.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** What a cursor is bound to: the workspace and every filter (not the limit, which may change between pages). */
    private static String fingerprint(String workspaceId, String endpointId, String eventId, Attempt.Status status) {
        String canonical = workspaceId + "\n" + (endpointId == null ? "" : endpointId) + "\n"
                + (eventId == null ? "" : eventId) + "\n" + (status == null ? "" : status.wire());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The opaque {@code next_cursor}: base64url of {@code {"v":1,"before":"att_…","f":"…"}}, where
     * {@code before} is the attempt id the next page continues below and {@code f} binds it to the filters.
     */
    static final class Cursor {
        private Cursor() {
        }

        static String write(String before, String filters) {
            StringBuilder s = new StringBuilder("{\"v\":1,\"before\":");
            Json.appendString(s, before).append(",\"f\":");
            Json.appendString(s, filters).append('}');
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
        }

        /** The attempt id to continue below, or null for the first page. */
        static String read(String cursor, String filters) {
            if (cursor == null || cursor.isEmpty()) {
                return null;
            }
            JsonNode n;
            try {
                if (cursor.length() > 512) {
                    throw new IllegalArgumentException("too long");
                }
                n = Json.parse(Base64.getUrlDecoder().decode(cursor));
            } catch (IllegalArgumentException | IOException e) {
                throw malformed();
            }
            if (n == null || !n.isObject() || n.path("v").asInt() != 1 || !n.path("before").isTextual() || !n.path("f").isTextual()
                    || !ATTEMPT_ID.matcher(n.path("before").asText()).matches()) {
                throw malformed();
            }
            if (!n.path("f").asText().equals(filters)) {
                throw ApiException.invalid("cursor", "this cursor belongs to a listing with other filters; "
                        + "repeat the same endpoint_id, event_id and status, or start again without a cursor");
            }
            return n.path("before").asText();
        }

        private static ApiException malformed() {
            return ApiException.invalid("cursor", "cursor is not valid; pass the next_cursor of the previous page unchanged");
        }
    }
}
