package org.omamori.smtp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Next-hop connections kept open between mails (docs/mail-intake.md "Next hop"), as Postfix's
 * connection cache does: a mail the next hop accepted leaves its connection here, and the next
 * mail takes it instead of connecting, greeting, saying EHLO and maybe STARTTLS again (a new
 * transaction for each small mail was most of the intake's cost). A connection is kept at most
 * {@code idle} since its last mail and used for at most {@code lifetime} since it was opened, so
 * one the next hop has given up on is rarely met; when one is, the mail's first command fails
 * before anything of it was sent, and {@link HopLink} opens a new connection.
 */
final class HopPool implements AutoCloseable {

    /** Postfix's {@code smtp_connection_cache_time_limit}: an idle connection is kept 2 s. */
    static final long IDLE_NANOS = 2_000_000_000L;
    /** Postfix's {@code smtp_connection_reuse_time_limit}: a connection is reused for 300 s. */
    static final long LIFETIME_NANOS = 300_000_000_000L;

    private record Idle(NextHop hop, long opened, long since) {
    }

    private final int max;
    private final long idleNanos;
    private final long lifetimeNanos;
    private final LongSupplier nanoTime;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    HopPool(int max, long idleNanos, long lifetimeNanos, LongSupplier nanoTime) {
        this.max = max;
        this.idleNanos = idleNanos;
        this.lifetimeNanos = lifetimeNanos;
        this.nanoTime = nanoTime;
    }

    /** A pool of up to {@code max} idle connections with Postfix's limits (0: none kept). */
    static HopPool of(int max) {
        return new HopPool(max, IDLE_NANOS, LIFETIME_NANOS, System::nanoTime);
    }

    /** The most recently used connection still within its limits, or null; the ones past them are closed. */
    Taken take() {
        List<Idle> stale = new ArrayList<>();
        Taken taken = null;
        long now = nanoTime.getAsLong();
        synchronized (this) {
            Idle i;
            while (taken == null && (i = idle.pollLast()) != null) {
                if (now - i.since < idleNanos && now - i.opened < lifetimeNanos) {
                    taken = new Taken(i.hop, i.opened);
                } else {
                    stale.add(i);
                }
            }
            expire(now, stale);
        }
        stale.forEach(s -> leave(s.hop));
        return taken;
    }

    /** Keeps a connection whose mail the hop accepted, opened at {@code opened} ({@link #now}); closes it when full or closed. */
    void give(NextHop hop, long opened) {
        List<Idle> stale = new ArrayList<>();
        long now = nanoTime.getAsLong();
        boolean kept = false;
        synchronized (this) {
            expire(now, stale);
            if (!closed && idle.size() < max && now - opened < lifetimeNanos) {
                idle.addLast(new Idle(hop, opened, now));
                kept = true;
            }
        }
        stale.forEach(s -> leave(s.hop));
        if (!kept) {
            leave(hop);
        }
    }

    /** The pool's clock: when a connection is opened. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** Idle connections held now. */
    synchronized int size() {
        return idle.size();
    }

    /** The oldest first: they stand at the head. Caller holds the lock. */
    private void expire(long now, List<Idle> into) {
        while (!idle.isEmpty() && (now - idle.peekFirst().since >= idleNanos || now - idle.peekFirst().opened >= lifetimeNanos)) {
            into.add(idle.pollFirst());
        }
    }

    private static void leave(NextHop hop) {
        hop.quit();
        hop.close();
    }

    /** Says QUIT on every idle connection and keeps no more. */
    @Override
    public void close() {
        List<Idle> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(idle);
            idle.clear();
        }
        all.forEach(i -> leave(i.hop));
    }

    /** A connection taken from the pool and when it was opened (to give it back with). */
    record Taken(NextHop hop, long opened) {
    }
}
