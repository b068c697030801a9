package org.omamori.notify;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When an appliance counts as stopped and when the daily re-notice goes (000 §4.3.2, DOMAIN §3).
 *
 * @param silence     no contact for this long means stopped (heartbeat every 60 s; default 10 min)
 * @param dailyCheck  the fixed time of the daily check (default 09:00)
 * @param zone        the zone of that time (default Asia/Tokyo)
 * @param quietAfterFirst no daily reminder this soon after the first notice (default 6 h): the seed
 *                    accepts two mails close together, we do not
 */
public record LivenessPolicy(Duration silence, LocalTime dailyCheck, ZoneId zone, Duration quietAfterFirst) {

    /** The shortest silence accepted: two heartbeats of 10 s. */
    public static final Duration MIN_SILENCE = Duration.ofSeconds(20);

    public LivenessPolicy {
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(dailyCheck, "dailyCheck");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(quietAfterFirst, "quietAfterFirst");
        // The standard is 10 min for appliances that call every 60 s; shorter is only for appliances
        // that call more often (the demo's simulated ones every 5 s), never under two such calls.
        if (silence.compareTo(MIN_SILENCE) < 0) {
            throw new IllegalArgumentException("silence " + silence + " is shorter than two heartbeats ("
                    + MIN_SILENCE.toSeconds() + " s at the shortest interval): every late heartbeat would look like a stop");
        }
        if (quietAfterFirst.isNegative() || quietAfterFirst.compareTo(Duration.ofHours(24)) >= 0) {
            throw new IllegalArgumentException("quietAfterFirst " + quietAfterFirst + " must be between 0 and 24 h, "
                    + "or a daily check would be skipped for ever");
        }
    }

    public static LivenessPolicy standard() {
        return new LivenessPolicy(Duration.ofMinutes(10), LocalTime.of(9, 0), ZoneId.of("Asia/Tokyo"), Duration.ofHours(6));
    }
}
