package dev.signet.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.event.EventIntake.Plan;
import dev.signet.core.event.EventIntake.Progress;
import dev.signet.core.json.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an intake under an Idempotency-Key fixed and achieved, kept in the key's record: the events'
 * ids, time and target endpoints, whether they are stored, and which jobs are queued. A retry of the
 * request rebuilds the same plan from it and its own body (the same body, or the key would have been
 * refused), so it reports the same event ids and sends only the jobs still missing. Payloads are not
 * kept here: they come from the body again.
 *
 * <p>Stored as compact JSON: the target endpoints once (sorted), each event's targets and the queued
 * jobs as bit sets in hex, about 9 KB for 100 events to 50 endpoints.
 */
public record IntakeCheckpoint(Instant createdAt, List<String> eventIds, List<List<String>> targets, List<List<String>> missed,
                               Progress progress) {
    private static final HexFormat HEX = HexFormat.of();

    public IntakeCheckpoint {
        eventIds = List.copyOf(eventIds);
        targets = targets.stream().map(List::copyOf).toList();
        missed = missed.stream().map(List::copyOf).toList();
        if (eventIds.size() != targets.size() || eventIds.size() != missed.size()) {
            throw new IllegalArgumentException("one target list and one missed list per event");
        }
        for (List<String> t : targets) {
            // Kept as a set: only a sorted list comes back in the same order, and with it the jobs' order.
            if (!t.stream().sorted().distinct().toList().equals(t)) {
                throw new IllegalArgumentException("an event's target endpoints must be sorted and distinct");
            }
        }
    }

    public static IntakeCheckpoint of(Plan plan, Progress progress) {
        Instant createdAt = plan.events().isEmpty() ? Instant.EPOCH : plan.events().getFirst().createdAt();
        return new IntakeCheckpoint(createdAt, plan.events().stream().map(Event::id).toList(),
                plan.events().stream().map(Event::endpointIds).toList(), plan.events().stream().map(Event::missedEndpointIds).toList(),
                progress);
    }

    /** The plan this checkpoint was taken of, for the request's events (the same inputs, in order). */
    public Plan plan(String workspaceId, String generation, List<EventInput> inputs) {
        if (inputs.size() != eventIds.size()) {
            throw new IllegalStateException("the checkpoint holds " + eventIds.size() + " events, the request " + inputs.size());
        }
        List<Event> events = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            EventInput in = inputs.get(i);
            events.add(new Event(eventIds.get(i), workspaceId, generation, in.type(), createdAt, in.resource(), in.resourceId(),
                    in.payload(), targets.get(i), missed.get(i)));
        }
        return new Plan(workspaceId, generation, events);
    }

    public String toJson() {
        Map<String, Integer> endpointIndex = new LinkedHashMap<>();
        java.util.stream.Stream.concat(targets.stream(), missed.stream()).flatMap(List::stream).distinct().sorted()
                .forEach(ep -> endpointIndex.put(ep, endpointIndex.size()));
        ObjectNode root = Json.object().put("v", 1).put("created_at", createdAt.toString());
        ArrayNode endpoints = root.putArray("endpoints");
        endpointIndex.keySet().forEach(endpoints::add);
        ArrayNode events = root.putArray("events");
        for (int i = 0; i < eventIds.size(); i++) {
            BitSet to = new BitSet();
            targets.get(i).forEach(ep -> to.set(endpointIndex.get(ep)));
            ObjectNode event = events.addObject().put("id", eventIds.get(i)).put("to", HEX.formatHex(to.toByteArray()));
            if (!missed.get(i).isEmpty()) {
                BitSet skipped = new BitSet();
                missed.get(i).forEach(ep -> skipped.set(endpointIndex.get(ep)));
                event.put("missed", HEX.formatHex(skipped.toByteArray()));
            }
        }
        root.put("stored", progress.eventsStored()).put("queued", HEX.formatHex(progress.queued().toByteArray()));
        return Json.write(root);
    }

    public static IntakeCheckpoint fromJson(String json) {
        JsonNode root = Json.parseTrusted(json);
        List<String> endpoints = new ArrayList<>();
        root.path("endpoints").forEach(ep -> endpoints.add(ep.asText()));
        List<String> ids = new ArrayList<>();
        List<List<String>> targets = new ArrayList<>();
        List<List<String>> missed = new ArrayList<>();
        for (JsonNode e : root.path("events")) {
            ids.add(e.path("id").asText());
            BitSet to = BitSet.valueOf(HEX.parseHex(e.path("to").asText()));
            targets.add(to.stream().mapToObj(endpoints::get).toList());
            BitSet skipped = BitSet.valueOf(HEX.parseHex(e.path("missed").asText("")));
            missed.add(skipped.stream().mapToObj(endpoints::get).toList());
        }
        Progress progress = new Progress(root.path("stored").asBoolean(), BitSet.valueOf(HEX.parseHex(root.path("queued").asText())));
        return new IntakeCheckpoint(Instant.parse(root.path("created_at").asText()), ids, targets, missed, progress);
    }
}
