package org.omamori.store;

import java.time.Instant;
import java.util.Objects;

import org.omamori.grading.AlertId;

/** Where a page of alerts ended (newest first: first time, then id, both descending). */
public record AlertCursor(Instant first, AlertId id) {
    public AlertCursor {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(id, "id");
    }
}
