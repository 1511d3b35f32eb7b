package dev.signet.client;

import java.util.List;
import java.util.Optional;

/** One page of a list: its items and the cursor of the next page, absent on the last. */
public record Page<T>(List<T> data, String nextCursor) {
    public Page {
        data = List.copyOf(data);
    }

    public Optional<String> next() {
        return Optional.ofNullable(nextCursor);
    }
}
