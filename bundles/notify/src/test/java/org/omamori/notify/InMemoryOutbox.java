package org.omamori.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The outbox contract in memory, as the store will keep it in a table: one row per key. */
final class InMemoryOutbox implements Outbox {

    enum State { PENDING, SENT, GIVEN_UP }

    static final class Row {
        OutboxEntry entry;
        State state = State.PENDING;
        Instant due;
        String lastError = "";

        Row(OutboxEntry entry, Instant due) {
            this.entry = entry;
            this.due = due;
        }
    }

    final Map<UUID, Row> rows = new LinkedHashMap<>();
    final Duration lease;

    InMemoryOutbox(Duration lease) {
        this.lease = lease;
    }

    @Override
    public synchronized UUID enqueue(String key, Mail mail, Instant due) {
        UUID id = OutboxEntry.idOf(key);
        rows.putIfAbsent(id, new Row(OutboxEntry.of(key, mail, due), due));
        return id;
    }

    @Override
    public synchronized List<OutboxEntry> due(Instant now, int limit) {
        List<OutboxEntry> out = new ArrayList<>();
        rows.values().stream().filter(r -> r.state == State.PENDING && !r.due.isAfter(now))
                .sorted(Comparator.comparing((Row r) -> r.due)).limit(limit).forEach(r -> {
                    r.due = now.plus(lease);
                    out.add(r.entry);
                });
        return out;
    }

    @Override
    public synchronized void markSent(UUID id, Instant at) {
        Row r = rows.get(id);
        r.state = State.SENT;
        r.entry = bump(r.entry);
    }

    @Override
    public synchronized void markFailed(UUID id, Instant at, String reason, Instant nextAttempt) {
        Row r = rows.get(id);
        r.entry = bump(r.entry);
        r.lastError = reason;
        if (nextAttempt == null) {
            r.state = State.GIVEN_UP;
        } else {
            r.due = nextAttempt;
        }
    }

    private static OutboxEntry bump(OutboxEntry e) {
        return new OutboxEntry(e.id(), e.key(), e.mail(), e.created(), e.attempts() + 1);
    }

    synchronized Row row(UUID id) {
        return rows.get(id);
    }
}
