package org.omamori.dns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Upstream answers kept for their TTL (at most {@code maxTtl} seconds), at most
 * {@code maxEntries} of them, the least recently used going first. Only verdict-free data is
 * kept: the filter decides every query before it looks here, so a list swap takes effect on the
 * next query. An answer given from the cache has the asker's id and question spelling and its
 * TTLs lowered by the time it spent here.
 */
final class AnswerCache {

    private record Cached(byte[] wire, int[] ttlOffsets, long storedNanos, long expiresNanos) {
    }

    private final int maxEntries;
    private final long maxTtl;
    private final LongSupplier nanos;
    private final LinkedHashMap<String, Cached> entries;

    AnswerCache(int maxEntries, long maxTtlSeconds, LongSupplier nanos) {
        this.maxEntries = maxEntries;
        this.maxTtl = maxTtlSeconds;
        this.nanos = nanos;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > AnswerCache.this.maxEntries;
            }
        };
    }

    boolean enabled() {
        return maxEntries > 0;
    }

    /**
     * The cached answer to {@code query}, ready to send, or null.
     *
     * @param questionEnd where the query's question ends
     * @param maxSize     the largest answer the asker takes (512 or its EDNS size over UDP)
     */
    byte[] get(String key, byte[] query, int questionEnd, int maxSize) {
        if (maxEntries == 0) {
            return null;
        }
        long now = nanos.getAsLong();
        Cached e;
        synchronized (entries) {
            e = entries.get(key);
            if (e != null && now - e.expiresNanos >= 0) {
                entries.remove(key);
                e = null;
            }
        }
        if (e == null || e.wire.length > maxSize) {
            return null;
        }
        byte[] out = e.wire.clone();
        DnsWire.setId(out, DnsWire.id(query));
        System.arraycopy(query, DnsWire.HEADER, out, DnsWire.HEADER, questionEnd - DnsWire.HEADER);
        long aged = TimeUnit.NANOSECONDS.toSeconds(now - e.storedNanos);
        for (int at : e.ttlOffsets) {
            long ttl = Math.min(DnsWire.u32(out, at), maxTtl);
            DnsWire.putU32(out, at, Math.max(0, ttl - aged));
        }
        return out;
    }

    /** Keeps an upstream answer if its TTLs allow; TC answers and errors are not kept. */
    void put(String key, byte[] response) {
        if (maxEntries == 0 || DnsWire.truncated(response)) {
            return;
        }
        DnsWire.Ttls ttls = DnsWire.ttls(response, response.length);
        if (ttls == null || ttls.lifetime() <= 0) {
            return;
        }
        long lifetime = Math.min(ttls.lifetime(), maxTtl);
        if (lifetime <= 0) {
            return;
        }
        long now = nanos.getAsLong();
        Cached e = new Cached(response.clone(), ttls.ttlOffsets(), now, now + TimeUnit.SECONDS.toNanos(lifetime));
        synchronized (entries) {
            entries.put(key, e);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
