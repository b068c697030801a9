package org.omamori.dns;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link DnsStats}. */
final class DnsCounters {

    final LongAdder queries = new LongAdder();
    final LongAdder answered = new LongAdder();
    final LongAdder blocked = new LongAdder();
    final LongAdder forwarded = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder refusedRate = new LongAdder();
    final LongAdder refusedInFlight = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder notImplemented = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder eventFailures = new LongAdder();
    /** Events handed to the sink's queue, after folding (docs/dns-filter.md "Events"). */
    final LongAdder events = new LongAdder();

    DnsStats snapshot() {
        return new DnsStats(queries.sum(), answered.sum(), blocked.sum(), forwarded.sum(), cacheHits.sum(),
                refusedRate.sum(), refusedInFlight.sum(), malformed.sum(), notImplemented.sum(),
                upstreamFailures.sum(), eventFailures.sum(), events.sum());
    }
}
