package org.omamori.store.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Instants as both databases keep them (microseconds, UTC), and days as ranges of event ids. */
final class Times {

    private Times() {
    }

    static OffsetDateTime column(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /** The smallest UUIDv7 made at the start of a UTC day or later: 48 bits of milliseconds, the rest zero. */
    static UUID firstIdOf(LocalDate day) {
        long millis = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return new UUID(millis << 16, 0L);
    }
}
