package org.omamori.grading;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.events.Event;

/**
 * {@link Grading} for the ingest transaction: one {@link Grader} per customer, on the star table of
 * the customer's edition (docs/edition-sdk.md), kept between
 * batches while the customer's grading sequence says no other node (or failed batch) changed
 * the customer's alerts since; otherwise rebuilt from the store's last 24 h. The store locks the
 * customer for the transaction, so a grader is never used by two batches at once.
 */
public final class CustomerGrading implements Grading {

    private record Cached(long sequence, Grader grader) {
    }

    private final Function<Optional<String>, StarTable> tables;
    private final int maxCached;
    private final Map<Long, Cached> cache;
    private final java.util.concurrent.atomic.LongAdder rebuilds = new java.util.concurrent.atomic.LongAdder();

    /** Every customer graded with {@code table}. */
    public CustomerGrading(StarTable table, int maxCached) {
        this(edition -> table, maxCached);
    }

    /**
     * @param tables    each customer's star table, by its reseller's edition
     * @param maxCached graders kept (least recently used go first); a customer not kept is rebuilt
     */
    public CustomerGrading(Function<Optional<String>, StarTable> tables, int maxCached) {
        this.tables = Objects.requireNonNull(tables, "tables");
        this.maxCached = maxCached;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Cached> eldest) {
                return size() > CustomerGrading.this.maxCached;
            }
        };
    }

    @Override
    public void grade(GradingContext context, List<Event> threats) {
        long customer = context.customer();
        Cached cached;
        synchronized (cache) {
            // Taken out while in use: a failed batch must not leave a grader that saw its events.
            cached = cache.remove(customer);
        }
        Grader grader;
        if (cached != null && cached.sequence() == context.sequence()) {
            grader = cached.grader();
        } else {
            Instant since = threats.getFirst().time().minus(StarTable.HORIZON);
            // A reseller's edition set anew moves its customers' sequences on: a rebuild finds the new table.
            grader = Grader.resume(tables.apply(context.edition()), context.alertsSince(since), context.threatsSince(since));
            rebuilds.increment();
        }
        grader.suppressions(context.suppressions(context.now()));
        for (Event e : threats) {
            for (AlertChange change : grader.accept(e)) {
                context.save(change);
            }
        }
        // Back in the cache before the commit: the customer's next batch waits for the row lock, so it
        // finds the grader in place the moment this one commits. A rollback takes it out again; had
        // it stayed, its sequence would not match the database's and it would be rebuilt anyway.
        Cached now = new Cached(context.sequence() + 1, grader);
        synchronized (cache) {
            cache.put(customer, now);
        }
        context.afterCompletion(committed -> {
            if (!committed) {
                synchronized (cache) {
                    cache.remove(customer, now);
                }
            }
        });
    }

    /** Drops every kept grader: an edition was installed, updated or removed, so tables may have changed. */
    public void forget() {
        synchronized (cache) {
            cache.clear();
        }
    }

    /** How often a grader was rebuilt from the store (a cache miss), for metrics and tests. */
    public long rebuilds() {
        return rebuilds.sum();
    }
}
