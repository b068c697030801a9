package org.omamori.engine.urlfilter;

import java.io.IOException;

/** The lists hold more entries than the configured limit; nothing of them was taken. */
public final class ListsTooLargeException extends IOException {

    private final long limit;
    private final long reached;

    ListsTooLargeException(String where, long limit, long reached) {
        super("category lists refused: more than " + limit + " entries (maxEntries); count reached " + reached
                + " at " + where + ". Raise maxEntries or remove categories.");
        this.limit = limit;
        this.reached = reached;
    }

    /** The configured maximum number of entries. */
    public long limit() {
        return limit;
    }

    /** The count at which loading stopped (limit + 1). */
    public long reached() {
        return reached;
    }
}
