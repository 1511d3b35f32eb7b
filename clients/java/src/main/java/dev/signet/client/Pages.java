package dev.signet.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every page of a list, fetched lazily as the iteration reaches it, following {@code next_cursor}
 * until it is null. A page may be empty yet have a next one (the delivery log reads a bounded
 * number of attempts per page), so iteration goes by the cursor, never by an empty page.
 * Each {@link #iterator()} starts again from the first page.
 */
public final class Pages<T> implements Iterable<Page<T>> {
    private final Function<String, Page<T>> fetch;

    Pages(Function<String, Page<T>> fetch) {
        this.fetch = fetch;
    }

    @Override
    public Iterator<Page<T>> iterator() {
        return new Iterator<>() {
            private String cursor;
            private boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public Page<T> next() {
                if (done) {
                    throw new NoSuchElementException("that was the last page");
                }
                Page<T> page = fetch.apply(cursor);
                cursor = page.nextCursor();
                done = cursor == null;
                return page;
            }
        };
    }

    /** The items of every page, in order, fetched as the stream is consumed. */
    public Stream<T> items() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
                .flatMap(p -> p.data().stream());
    }
}
