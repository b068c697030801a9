package org.omamori.fleet;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When an appliance may restart into new software (docs/fleet.md "Runtime updates"), in Japanese time:
 * {@code daily 02:00-05:00}, {@code wed 23:00-28:00} (every Wednesday) or {@code 2nd-wed 23:00-28:00} (the
 * second Wednesday of each month: Vario's). The end may pass midnight (28:00 is 04:00 the next day), as
 * Japanese service terms write it.
 *
 * @param nth      1–5 for the nth weekday of the month; 0 for every such day
 * @param day      the weekday; null for every day
 */
public record MaintenanceWindow(int nth, DayOfWeek day, int startMinute, int endMinute) {

    private static final Pattern FORM = Pattern.compile(
            "(daily|(?:([1-5])(?:st|nd|rd|th)-)?(mon|tue|wed|thu|fri|sat|sun))\\s+(\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})");
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY, "wed",
            DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY);

    public MaintenanceWindow {
        if (startMinute < 0 || startMinute >= 24 * 60 || endMinute <= startMinute || endMinute - startMinute > 24 * 60) {
            throw new IllegalArgumentException("a window starts within the day and lasts up to 24 hours");
        }
    }

    /** @throws IllegalArgumentException what is wrong with the text */
    public static MaintenanceWindow parse(String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a maintenance window: daily HH:MM-HH:MM, wed HH:MM-HH:MM or "
                    + "2nd-wed HH:MM-HH:MM (Japanese time; the end may be past 24:00)");
        }
        int start = Integer.parseInt(m.group(4)) * 60 + Integer.parseInt(m.group(5));
        int end = Integer.parseInt(m.group(6)) * 60 + Integer.parseInt(m.group(7));
        if (Integer.parseInt(m.group(5)) > 59 || Integer.parseInt(m.group(7)) > 59) {
            throw new IllegalArgumentException("'" + text + "': minutes are 00 to 59");
        }
        boolean daily = m.group(1).equals("daily");
        return new MaintenanceWindow(m.group(2) == null ? 0 : Integer.parseInt(m.group(2)), daily ? null : DAYS.get(m.group(3)), start, end);
    }

    /** Whether {@code now} (its zone is the one the window is read in) lies in the window. */
    public boolean contains(ZonedDateTime now) {
        LocalDateTime t = now.toLocalDateTime();
        // A window that passes midnight began on the day before.
        for (LocalDate day : new LocalDate[] {t.toLocalDate(), t.toLocalDate().minusDays(1)}) {
            if (opensOn(day)) {
                LocalDateTime from = day.atStartOfDay().plusMinutes(startMinute);
                LocalDateTime to = day.atStartOfDay().plusMinutes(endMinute);
                if (!t.isBefore(from) && t.isBefore(to)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean opensOn(LocalDate day) {
        if (this.day == null) {
            return true;
        }
        if (day.getDayOfWeek() != this.day) {
            return false;
        }
        return nth == 0 || day.equals(day.with(TemporalAdjusters.dayOfWeekInMonth(nth, this.day)));
    }
}
