package dev.signet.core.aws;

import dev.signet.core.store.EndpointSlots;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.n;

/**
 * An endpoint's request slots as one item of the config table, {@code slots#ws#{ws}#ep#{ep} / slots}: one
 * attribute per slot ({@code s0}, {@code s1}, ...) holding when it expires, in epoch milliseconds.
 * Taking a slot is a conditional UpdateItem (free: absent or expired), giving it back another; the
 * item expires by TTL a day after its last use. Only endpoints not known to be fast use slots, so the
 * writes are two per request to an endpoint that takes seconds per request anyway. The same item keeps
 * the endpoint's measured pace ({@code pace}: FAST or SLOW). The partition key has its own prefix so
 * that IAM (which can condition on the partition key only) lets the delivery function write these
 * items without letting it write the attributes here, such as {@code ttl}, on workspace items.
 */
final class EndpointSlotLeases {
    private static final Duration ITEM_TTL = Duration.ofDays(1);

    private final DynamoDbClient dynamo;
    private final String table;

    EndpointSlotLeases(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> slotsKey(String ws, String ep) {
        return key("slots#ws#" + ws + "#ep#" + ep, "slots");
    }

    /**
     * A conditional write takes a slot chosen at random (one call when slots are free, the common
     * case); if that one is held, one strongly consistent read says which others are free and they are
     * tried in a random order (instances spread over the slots instead of racing for the same one).
     * When every slot is held the cost is that failed write and the read.
     */
    EndpointSlots.Slot tryTake(String ws, String ep, int slots, Duration hold, Instant now) {
        int first = ThreadLocalRandom.current().nextInt(slots);
        if (take(ws, ep, first, hold, now)) {
            return new EndpointSlots.Slot(ws, ep, first, now.plus(hold).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        }
        var item = dynamo.getItem(r -> r.tableName(table).key(slotsKey(ws, ep)).consistentRead(true)).item();
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            if (i != first && (item == null || !item.containsKey("s" + i) || Attrs.num(item, "s" + i, 0) < now.toEpochMilli())) {
                free.add(i);
            }
        }
        Collections.shuffle(free, ThreadLocalRandom.current());
        for (int index : free) {
            if (take(ws, ep, index, hold, now)) {
                return new EndpointSlots.Slot(ws, ep, index, now.plus(hold).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
            }
        }
        return null;
    }

    private boolean take(String ws, String ep, int index, Duration hold, Instant now) {
        long expires = now.plus(hold).toEpochMilli();
        try {
            dynamo.updateItem(r -> r.tableName(table).key(slotsKey(ws, ep))
                    .updateExpression("SET #s = :until, #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#s) OR #s < :now")
                    .expressionAttributeNames(Map.of("#s", "s" + index, "#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":until", n(expires), ":now", n(now.toEpochMilli()),
                            ":ttl", n(now.plus(ITEM_TTL).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    EndpointSlots.Pace pace(String ws, String ep) {
        var item = dynamo.getItem(r -> r.tableName(table).key(slotsKey(ws, ep)).projectionExpression("pace")).item();
        String pace = item == null ? null : Attrs.str(item, "pace");
        return pace == null ? null : EndpointSlots.Pace.valueOf(pace);
    }

    void recordPace(String ws, String ep, EndpointSlots.Pace pace, Instant now) {
        dynamo.updateItem(r -> r.tableName(table).key(slotsKey(ws, ep))
                .updateExpression("SET pace = :p, #ttl = :ttl")
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":p", Attrs.s(pace.name()), ":ttl", n(now.plus(ITEM_TTL).getEpochSecond()))));
    }

    void release(EndpointSlots.Slot slot) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(slotsKey(slot.workspaceId(), slot.endpointId()))
                    .updateExpression("REMOVE #s")
                    .conditionExpression("#s = :until")
                    .expressionAttributeNames(Map.of("#s", "s" + slot.index()))
                    .expressionAttributeValues(Map.of(":until", n(slot.expiresAt().toEpochMilli()))));
        } catch (ConditionalCheckFailedException expiredAndTaken) {
            // it expired and another request holds it now: leave it alone
        }
    }
}
