package org.omamori.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes due entries from the {@link Outbox}, sends each, and marks it: sent; failed with the next
 * attempt after a growing pause (1 min, 2, 4, … at most {@link #MAX_PAUSE}); or given up on a
 * permanent refusal or after {@link #MAX_ATTEMPTS} attempts. The scheduler calls {@link #runOnce}
 * every few seconds on any node; the outbox's lease keeps nodes from sending the same entry together.
 */
public final class OutboxWorker {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);

    /** The longest pause between two attempts. */
    public static final Duration MAX_PAUSE = Duration.ofHours(1);
    /** Attempts before giving up: about two days of retries at the longest pause. */
    public static final int MAX_ATTEMPTS = 50;
    private static final Duration FIRST_PAUSE = Duration.ofMinutes(1);

    private final Outbox outbox;
    private final MailTransport transport;
    private final Clock clock;
    private final int batch;

    public OutboxWorker(Outbox outbox, MailTransport transport, Clock clock, int batch) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch + " must be at least 1");
        }
        this.batch = batch;
    }

    /** The pause after the {@code attempts}-th failed attempt (1-based). */
    public static Duration pause(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 20);
        Duration d = FIRST_PAUSE.multipliedBy(1L << doublings);
        return d.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : d;
    }

    /**
     * Sends what is due now.
     *
     * @return how many entries were sent
     */
    public int runOnce() {
        int sent = 0;
        for (OutboxEntry e : outbox.due(clock.instant(), batch)) {
            SendResult r = transport.send(e);
            Instant at = clock.instant();
            int attempts = e.attempts() + 1;
            switch (r) {
                case SendResult.Sent s -> {
                    outbox.markSent(e.id(), at);
                    sent++;
                }
                case SendResult.Refused x -> {
                    LOG.error("mail {} given up: {}", e.id(), x.reason());
                    outbox.markFailed(e.id(), at, x.reason(), null);
                }
                case SendResult.Retry x -> {
                    if (attempts >= MAX_ATTEMPTS) {
                        LOG.error("mail {} given up after {} attempts: {}", e.id(), attempts, x.reason());
                        outbox.markFailed(e.id(), at, "gave up after " + attempts + " attempts: " + x.reason(), null);
                    } else {
                        outbox.markFailed(e.id(), at, x.reason(), at.plus(pause(attempts)));
                    }
                }
            }
        }
        return sent;
    }
}
