package org.omamori.portal.views;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as customers read them: Japan time, to the minute or second. */
final class Format {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm").withZone(JST);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss").withZone(JST);

    private Format() {
    }

    /** Whole days from {@code since} to {@code now} (0 within the first 24 hours). */
    static long daysSince(Instant since, Instant now) {
        return Math.max(0, java.time.Duration.between(since, now).toDays());
    }

    static String time(Instant t) {
        return t == null ? "—" : MINUTE.format(t);
    }

    /**
     * "The last N days" as whole Japanese days: from midnight N-1 days ago to the coming midnight.
     * Whole days read as the customer expects, and every page in a day asks the store for the same
     * period, so its cache of the participants' averages is shared (docs/store.md).
     */
    static Instant[] lastDays(Instant now, int days) {
        java.time.LocalDate today = java.time.LocalDate.ofInstant(now, JST);
        return new Instant[] {today.minusDays(days - 1L).atStartOfDay(JST).toInstant(), today.plusDays(1).atStartOfDay(JST).toInstant()};
    }

    static String seconds(Instant t) {
        return t == null ? "—" : SECOND.format(t);
    }
}
