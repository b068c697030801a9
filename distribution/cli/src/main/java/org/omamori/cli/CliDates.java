package org.omamori.cli;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/** Dates and times as the back-office commands take them; bad input names the option. */
final class CliDates {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    private CliDates() {
    }

    /** {@code YYYY-MM-DD}. @throws IllegalArgumentException naming the option */
    static LocalDate date(String option, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " " + text + " is not a date YYYY-MM-DD");
        }
    }

    /** {@code 2026-05-01T10:00} in Japan time, or a date-time with an offset. */
    static ZonedDateTime dateTime(String option, String text) {
        try {
            return OffsetDateTime.parse(text).toZonedDateTime();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).atZone(JST);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " " + text + " is not a date-time YYYY-MM-DDTHH:MM");
            }
        }
    }
}
