package org.omamori.smtp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The queue for a next hop that is down; {@code docs/mail-intake.md} "The queue" explains each.
 *
 * @param directory   where queued mails are kept (one file each, written durably before the 250)
 * @param maxMails    mails at most in the queue; 0 turns the queue off (a next hop that is down is then answered 451)
 * @param maxBytes    bytes at most in the queue
 * @param firstRetry  the wait before the first retry, doubled after each failed attempt
 * @param maxRetry    the longest wait between attempts
 * @param bounceAfter how long a mail is tried before it is returned to its sender
 */
public record QueueSettings(Path directory, int maxMails, long maxBytes, Duration firstRetry, Duration maxRetry,
                            Duration bounceAfter) {

    public QueueSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(firstRetry, "firstRetry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        Objects.requireNonNull(bounceAfter, "bounceAfter");
        if (maxMails < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("queueMaxMails and queueMaxBytes must not be negative");
        }
        if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
            throw new IllegalArgumentException("queueFirstRetry must be positive and queueMaxRetry at least as long");
        }
        if (bounceAfter.isNegative() || bounceAfter.isZero()) {
            throw new IllegalArgumentException("queueBounceAfter must be positive");
        }
    }

    /** 1,000 mails, 1 GiB, 1 minute doubling to 30 minutes, returned after 5 days. */
    public static QueueSettings defaults(Path directory) {
        return new QueueSettings(directory, 1000, 1L << 30, Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofDays(5));
    }

    /** No queue: a next hop that is down is answered 451 and the sender keeps the mail. */
    public static QueueSettings off(Path directory) {
        return new QueueSettings(directory, 0, 0, Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofDays(5));
    }

    public boolean enabled() {
        return maxMails > 0 && maxBytes > 0;
    }

    /** The wait after {@code attempts} failed attempts: firstRetry doubled each time, at most maxRetry. */
    public Duration backoff(int attempts) {
        Duration d = firstRetry;
        for (int i = 1; i < attempts && d.compareTo(maxRetry) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }
}
