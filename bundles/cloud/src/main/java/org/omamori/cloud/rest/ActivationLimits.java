package org.omamori.cloud.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * How often POST /api/v1/activate may be called: a token bucket per client address (an IPv6
 * client by its /64, which one subscriber usually holds whole) and one for all clients together,
 * so neither one address nor many can guess activation codes quickly. Every attempt counts,
 * answered or not.
 *
 * @param perAddress   each client address's bucket
 * @param global       all clients' bucket
 * @param maxAddresses addresses tracked at most; past that the oldest are forgotten (the global bucket still holds)
 * @param logInterval  at most one log line per limited address (and one for the global limit) per interval
 */
public record ActivationLimits(Bucket perAddress, Bucket global, int maxAddresses, Duration logInterval) {

    /**
     * A token bucket: {@code burst} calls at once, then {@code perMinute} more each minute.
     *
     * @param burst     the bucket's size, at least 1
     * @param perMinute tokens added per minute, more than 0 (fractions allowed)
     */
    public record Bucket(int burst, double perMinute) {
        public Bucket {
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1: " + burst);
            }
            if (!(perMinute > 0) || Double.isInfinite(perMinute)) {
                throw new IllegalArgumentException("perMinute must be more than 0: " + perMinute);
            }
        }
    }

    public ActivationLimits {
        Objects.requireNonNull(perAddress, "perAddress");
        Objects.requireNonNull(global, "global");
        Objects.requireNonNull(logInterval, "logInterval");
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("maxAddresses must be at least 1: " + maxAddresses);
        }
    }

    /**
     * 10 at once and 10 a minute per address (an installer activating a rack of appliances from
     * one office is not held up), 60 at once and 60 a minute for all; one log line a minute.
     */
    public static ActivationLimits defaults() {
        return new ActivationLimits(new Bucket(10, 10), new Bucket(60, 60), 10_000, Duration.ofMinutes(1));
    }
}
