package org.omamori.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;

/**
 * The DNS filter's counters in the runtime's meters (docs/metrics.md), read from its own
 * {@link DnsCounters} at each scrape.
 */
final class DnsMeters implements AutoCloseable {

    private final List<Registration> registrations = new ArrayList<>();

    DnsMeters(Meters meters, DnsCounters c) {
        count(meters, "omamori.dns.queries", "DNS packets received by the filter (refused and malformed included)", c.queries);
        count(meters, "omamori.dns.answers", "DNS answers sent by the filter", c.answered);
        count(meters, "omamori.dns.blocked", "DNS queries answered with the block answer", c.blocked);
        count(meters, "omamori.dns.forwarded", "DNS queries sent to an upstream resolver", c.forwarded);
        count(meters, "omamori.dns.cache.hits", "DNS queries answered from the cache", c.cacheHits);
        count(meters, "omamori.dns.upstream.failures", "DNS queries no upstream answered (SERVFAIL sent)", c.upstreamFailures);
        count(meters, "omamori.dns.event.failures", "DNS filter events the spool did not take", c.eventFailures);
        count(meters, "omamori.dns.events", "DNS filter events handed to the spool (allowed names folded per window)", c.events);
        String refused = "DNS packets refused or not served, by reason";
        refused(meters, refused, "client_rate", c.refusedRate);
        refused(meters, refused, "in_flight", c.refusedInFlight);
        refused(meters, refused, "malformed", c.malformed);
        refused(meters, refused, "not_implemented", c.notImplemented);
    }

    private void count(Meters meters, String name, String help, LongAdder count) {
        registrations.add(meters.counter(name, help, count::sum));
    }

    private void refused(Meters meters, String help, String reason, LongAdder count) {
        registrations.add(meters.counter("omamori.dns.refused", help, count::sum, "reason", reason));
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
