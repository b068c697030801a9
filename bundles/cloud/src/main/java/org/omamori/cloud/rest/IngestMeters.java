package org.omamori.cloud.rest;

import java.util.concurrent.ConcurrentHashMap;

import org.omamori.metrics.Counter;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Timer;
import org.omamori.store.IngestResult;

/**
 * The uplink API's meters (docs/metrics.md): batches and events taken in, the time a batch takes
 * (grading included: it runs in the ingest transaction, docs/decisions/0019), heartbeats, and
 * requests refused by endpoint and error code.
 */
final class IngestMeters {

    private final Meters meters;
    private final Counter batches;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter heartbeats;
    private final Timer duration;
    /** One counter per endpoint and error code; the codes are the API's fixed set (docs/api/uplink.yaml). */
    private final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();

    IngestMeters(Meters meters) {
        this.meters = meters;
        batches = meters.counter("omamori.cloud.ingest.batches", "Event batches taken in (stored, graded, acknowledged)");
        String events = "Events in the batches taken in, by what became of them";
        stored = meters.counter("omamori.cloud.ingest.events", events, "result", "stored");
        duplicates = meters.counter("omamori.cloud.ingest.events", events, "result", "duplicate");
        heartbeats = meters.counter("omamori.cloud.heartbeats", "Heartbeats recorded");
        duration = meters.timer("omamori.cloud.ingest.duration",
                "Time to take in one batch: parse, store and grade in one transaction, answer");
    }

    void batch(IngestResult result, long nanos) {
        batches.increment();
        stored.add(result.stored());
        duplicates.add(result.duplicates());
        duration.recordNanos(nanos);
    }

    void heartbeat() {
        heartbeats.increment();
    }

    void refused(String endpoint, String error) {
        refused.computeIfAbsent(endpoint + ' ' + error, k -> meters.counter("omamori.cloud.ingest.refused",
                "Uplink requests refused, by endpoint and the API's error code", "endpoint", endpoint, "reason", error)).increment();
    }
}
