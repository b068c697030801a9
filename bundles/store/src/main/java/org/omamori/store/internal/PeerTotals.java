package org.omamori.store.internal;

import static org.omamori.store.Statistics.MIN_PEERS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.THREAT_DAYS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The peers' side of the comparison: how many customers take part in a period and their threats
 * per function, computed once a minute per period and shared by every customer who asks. Only the
 * number and the totals leave the database, never who the participants are.
 */
final class PeerTotals {

    private final DSLContext db;
    private final Clock clock;

    PeerTotals(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The participants and their threat events per function in a period: the same for every customer who asks. */
    record Peers(int participants, Map<String, Long> totals) {
    }

    /** How long the peers' totals of a period are reused (docs/store.md: an average up to this old). */
    static final Duration PEERS_FOR = Duration.ofSeconds(60);
    /** Periods whose peers' totals are kept at once; the oldest goes first. */
    static final int PEERS_KEPT = 32;

    private record Period(Instant from, Instant to) {
    }

    private record Computed(java.util.concurrent.CompletableFuture<Peers> peers, Instant madeAt) {
    }

    private final LinkedHashMap<Period, Computed> peers = new LinkedHashMap<>();

    /**
     * The peers' totals of the period, computed once and reused for {@link #PEERS_FOR} (each caller's
     * own counts stay live): one scan of every participant's threats per period and minute, not one per
     * call. Callers asking while it is computed wait for that computation rather than start their own.
     */
    Peers of(Instant from, Instant to) {
        Period key = new Period(from, to);
        java.util.concurrent.CompletableFuture<Peers> mine;
        Computed found;
        Instant now = clock.instant(); // the store's clock: tests move it
        synchronized (peers) {
            found = peers.get(key);
            if (found != null && !found.peers().isCompletedExceptionally() && (!found.peers().isDone()
                    || !now.isBefore(found.madeAt()) && now.isBefore(found.madeAt().plus(PEERS_FOR)))) {
                mine = null;
            } else {
                mine = new java.util.concurrent.CompletableFuture<>();
                found = new Computed(mine, now);
                peers.remove(key);
                peers.put(key, found);
                while (peers.size() > PEERS_KEPT) {
                    peers.remove(peers.keySet().iterator().next());
                }
            }
        }
        if (mine != null) {
            try {
                mine.complete(computePeers(from, to));
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                synchronized (peers) {
                    peers.remove(key, found);
                }
                throw e;
            }
        }
        try {
            return found.peers().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private Peers computePeers(Instant from, Instant to) {
        // Participants: customers with an appliance registered before the period's end. Only their
        // number and their totals leave the database, never who they are.
        var participating = DSL.select(APPLIANCES.CUSTOMER_ID).from(APPLIANCES)
                .where(APPLIANCES.REGISTERED_AT.lt(Times.column(to)));
        int participants = db.fetchValue(DSL.select(DSL.countDistinct(APPLIANCES.CUSTOMER_ID)).from(APPLIANCES)
                .where(APPLIANCES.REGISTERED_AT.lt(Times.column(to))));
        Map<String, Long> all = Map.of();
        if (participants >= MIN_PEERS) {
            Condition theirs = THREAT_DAYS.CUSTOMER_ID.in(participating);
            Map<String, Long> totals = new HashMap<>();
            ThreatCounts.Whole whole = ThreatCounts.Whole.of(from, to);
            if (whole.any()) {
                ThreatDays.totals(db, theirs, whole.firstDay(), whole.endDay()).forEach((f, n) -> totals.merge(f, n, Long::sum));
            }
            for (Instant[] part : whole.partsOutside()) {
                boolean ranged = !db.fetchValue(DSL.field(IdRanges.noted(DSL.noCondition(), part[0], part[1])));
                ThreatCounts.byFunction(db, ThreatCounts.threats(EVENTS.CUSTOMER_ID.in(participating), part[0], part[1], ranged))
                        .forEach((f, n) -> totals.merge(f, n, Long::sum));
            }
            all = Map.copyOf(totals);
        }
        return new Peers(participants, all);
    }
}
