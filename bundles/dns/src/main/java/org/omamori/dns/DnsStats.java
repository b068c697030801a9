package org.omamori.dns;

/**
 * Counts since start.
 *
 * @param queries          packets received (all of them, including refused and malformed)
 * @param answered         answers sent
 * @param blocked          queries answered with the block answer
 * @param forwarded        queries sent upstream
 * @param cacheHits        queries answered from the cache
 * @param refusedRate      over a client's rate
 * @param refusedInFlight  over a client's or the global bound of queries in flight
 * @param malformed        packets that are not a DNS query (answered FORMERR when the header parsed, else dropped)
 * @param notImplemented   opcodes other than QUERY, zone transfers
 * @param upstreamFailures no upstream answered: SERVFAIL sent
 * @param eventFailures    events the sink did not take
 * @param events           events made for the sink after folding: with the default window far fewer
 *                         than queries (an allowed name is one event per client and window)
 */
public record DnsStats(long queries, long answered, long blocked, long forwarded, long cacheHits,
                       long refusedRate, long refusedInFlight, long malformed, long notImplemented,
                       long upstreamFailures, long eventFailures, long events) {
}
