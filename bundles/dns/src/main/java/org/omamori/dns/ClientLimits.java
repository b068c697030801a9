package org.omamori.dns;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Fairness between clients: each client address has a token bucket (rate and burst) and a bound
 * on its queries in flight; all clients together have a bound on queries in flight. A flooding
 * client runs out of its own budget long before it can fill the shared one, so others go on
 * being answered. At most {@code maxClients} addresses are tracked (idle ones are forgotten);
 * past that, new addresses share one budget, so spoofed sources cannot grow the table.
 */
final class ClientLimits {

    /** The outcome of {@link #admit}: a ticket, or why there is none. */
    sealed interface Admission permits Refusal, Ticket {
    }

    /** Why a query was not admitted. */
    enum Refusal implements Admission {
        /** The client sent faster than its rate allows. */
        CLIENT_RATE,
        /** The client has too many queries being worked on. */
        CLIENT_IN_FLIGHT,
        /** All clients together have too many queries being worked on. */
        GLOBAL_IN_FLIGHT
    }

    /** An admitted query: close it when its answer has been sent. Closing twice does nothing. */
    final class Ticket implements Admission, AutoCloseable {
        private final Bucket bucket;
        private boolean closed;

        private Ticket(Bucket bucket) {
            this.bucket = bucket;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (bucket != null) {
                    bucket.release();
                }
                global.release();
            }
        }
    }

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final double ratePerNano;
    private final int burst;
    private final int clientInFlight;
    private final int maxClients;
    /**
     * False when there is neither a client rate nor a client in-flight bound: then no bucket is
     * looked up, taken or given back (a bucket's synchronized take and release per query, on the
     * one bucket of a busy client that every receiving thread shares, for no effect).
     */
    private final boolean perClient;
    private final Semaphore global;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket shared;
    private final Object sweepLock = new Object();

    ClientLimits(double ratePerSecond, int burst, int clientInFlight, int maxInFlight, int maxClients, LongSupplier nanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.clientInFlight = clientInFlight;
        this.maxClients = maxClients;
        this.perClient = ratePerSecond > 0 || clientInFlight > 0;
        this.global = new Semaphore(maxInFlight);
        this.nanos = nanos;
        this.shared = new Bucket(nanos.getAsLong());
    }

    ClientLimits(DnsFilterSettings s) {
        this(s.clientRate(), s.clientBurst(), s.clientInFlight(), s.maxInFlight(), s.maxClients(), System::nanoTime);
    }

    /** A ticket for the query, or the reason it is refused (then nothing is held). */
    Admission admit(InetAddress client) {
        if (!perClient) {
            return global.tryAcquire() ? new Ticket(null) : Refusal.GLOBAL_IN_FLIGHT;
        }
        long now = nanos.getAsLong();
        Bucket b = bucketOf(client, now);
        Refusal r = b.take(now);
        if (r != null) {
            return r;
        }
        if (!global.tryAcquire()) {
            b.release();
            return Refusal.GLOBAL_IN_FLIGHT;
        }
        return new Ticket(b);
    }

    /** Clients with a bucket of their own; none while there are no per-client limits. */
    int trackedClients() {
        return buckets.size();
    }

    private Bucket bucketOf(InetAddress client, long now) {
        Bucket b = buckets.get(client);
        if (b != null) {
            return b;
        }
        if (buckets.size() >= maxClients) {
            sweep(now);
            if (buckets.size() >= maxClients) {
                return shared;
            }
        }
        return buckets.computeIfAbsent(client, c -> new Bucket(now));
    }

    /** Forgets clients idle for a minute with nothing in flight: their buckets are full again anyway. */
    private void sweep(long now) {
        synchronized (sweepLock) {
            for (Iterator<Map.Entry<InetAddress, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
                Bucket b = it.next().getValue();
                if (b.idleSince(now)) {
                    it.remove();
                }
            }
        }
    }

    private final class Bucket {
        private double tokens;
        private long last;
        private int inFlight;

        Bucket(long now) {
            this.tokens = burst;
            this.last = now;
        }

        synchronized Refusal take(long now) {
            if (ratePerNano > 0) {
                tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
                last = now;
                if (tokens < 1) {
                    return Refusal.CLIENT_RATE;
                }
            } else {
                last = now;
            }
            if (clientInFlight > 0 && inFlight >= clientInFlight) {
                return Refusal.CLIENT_IN_FLIGHT;
            }
            if (ratePerNano > 0) {
                tokens -= 1;
            }
            inFlight++;
            return null;
        }

        synchronized void release() {
            inFlight--;
        }

        synchronized boolean idleSince(long now) {
            return inFlight == 0 && now - last > IDLE_NANOS;
        }
    }
}
