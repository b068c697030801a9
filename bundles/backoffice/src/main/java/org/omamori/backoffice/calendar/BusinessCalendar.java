package org.omamori.backoffice.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import org.omamori.api.edition.Terms.ClosedDays;
import org.omamori.api.edition.Terms.Desk;

/**
 * An edition's business days (営業日): not Saturday or Sunday, not a Japanese holiday
 * ({@link JapaneseHolidays}: national, substitute and citizens' holidays), not one of the
 * edition's own closed days (year-end and new-year, 15 August for Niigata). docs/billing.md.
 *
 * @param closed the edition's closed days, each a range of days of the year (may wrap the year end)
 */
public record BusinessCalendar(List<ClosedDays> closed) {

    /** 年末年始 as the project decided it (no seed defines it): 29 December to 3 January. */
    public static final ClosedDays YEAR_END = ClosedDays.YEAR_END;

    public BusinessCalendar {
        closed = List.copyOf(closed);
    }

    /** The calendar of an edition's desk: its closed days besides weekends and holidays. */
    public static BusinessCalendar of(Desk desk) {
        return new BusinessCalendar(desk.closed());
    }

    /** Weekends, holidays and the year-end closure: the calendar of an edition that says nothing more. */
    public static BusinessCalendar standard() {
        return new BusinessCalendar(List.of(YEAR_END));
    }

    public boolean isBusinessDay(LocalDate day) {
        DayOfWeek w = day.getDayOfWeek();
        if (w == DayOfWeek.SATURDAY || w == DayOfWeek.SUNDAY || JapaneseHolidays.isHoliday(day)) {
            return false;
        }
        for (ClosedDays c : closed) {
            if (c.contains(day)) {
                return false;
            }
        }
        return true;
    }

    /** The {@code n}-th business day of the month (1 = the first); an error when the month has fewer. */
    public LocalDate nthBusinessDay(YearMonth month, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be 1 or more: " + n);
        }
        int seen = 0;
        for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
            if (isBusinessDay(d) && ++seen == n) {
                return d;
            }
        }
        throw new IllegalArgumentException(month + " has fewer than " + n + " business days");
    }

    /** The day itself when it is a business day, else the nearest earlier one (期限の繰り上げ). */
    public LocalDate onOrBefore(LocalDate day) {
        LocalDate d = day;
        while (!isBusinessDay(d)) {
            d = d.minusDays(1);
        }
        return d;
    }

    /** The day itself when it is a business day, else the nearest later one. */
    public LocalDate onOrAfter(LocalDate day) {
        LocalDate d = day;
        while (!isBusinessDay(d)) {
            d = d.plusDays(1);
        }
        return d;
    }
}
