package org.omamori.backoffice.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Japan's holidays as the law on national holidays (国民の祝日に関する法律) makes them, for 2007 (its
 * present rules on substitute and citizens' holidays) to 2099: the national holidays (fixed days, the "Happy Monday" days, the equinox days), the
 * substitute holiday (振替休日: a holiday on a Sunday moves to the next day that is not a holiday)
 * and the citizens' holiday (国民の休日: a day between two national holidays), with the one-off
 * changes of 2019 (accession), 2020 and 2021 (Olympic Games). Why computed here and not taken from
 * a library: docs/decisions/0022. A change of the law means a change here.
 */
public final class JapaneseHolidays {

    /** The first and last years computed (the rules as amended for 2007; the equinox formula holds to 2099). */
    public static final int FIRST_YEAR = 2007;
    public static final int LAST_YEAR = 2099;

    private static final Map<Integer, Map<LocalDate, String>> YEARS = new ConcurrentHashMap<>();

    private JapaneseHolidays() {
    }

    /** The holiday's Japanese name on {@code day}, if it is one. */
    public static Optional<String> name(LocalDate day) {
        return Optional.ofNullable(of(day.getYear()).get(day));
    }

    public static boolean isHoliday(LocalDate day) {
        return of(day.getYear()).containsKey(day);
    }

    /** Every holiday of the year in date order, with its Japanese name. */
    public static Map<LocalDate, String> of(int year) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new IllegalArgumentException("Japanese holidays are known for " + FIRST_YEAR + " to " + LAST_YEAR + ", not " + year);
        }
        return YEARS.computeIfAbsent(year, JapaneseHolidays::compute);
    }

    private static Map<LocalDate, String> compute(int year) {
        TreeMap<LocalDate, String> national = new TreeMap<>();
        national.put(LocalDate.of(year, 1, 1), "元日");
        national.put(nthMonday(year, Month.JANUARY, 2), "成人の日");
        national.put(LocalDate.of(year, 2, 11), "建国記念の日");
        if (year >= 2020) {
            national.put(LocalDate.of(year, 2, 23), "天皇誕生日");
        }
        national.put(LocalDate.of(year, 3, vernalEquinoxDay(year)), "春分の日");
        national.put(LocalDate.of(year, 4, 29), "昭和の日");
        national.put(LocalDate.of(year, 5, 3), "憲法記念日");
        national.put(LocalDate.of(year, 5, 4), "みどりの日");
        national.put(LocalDate.of(year, 5, 5), "こどもの日");
        national.put(switch (year) {
            case 2020 -> LocalDate.of(2020, 7, 23);
            case 2021 -> LocalDate.of(2021, 7, 22);
            default -> nthMonday(year, Month.JULY, 3);
        }, "海の日");
        if (year >= 2016) {
            national.put(switch (year) {
                case 2020 -> LocalDate.of(2020, 8, 10);
                case 2021 -> LocalDate.of(2021, 8, 8);
                default -> LocalDate.of(year, 8, 11);
            }, "山の日");
        }
        national.put(nthMonday(year, Month.SEPTEMBER, 3), "敬老の日");
        national.put(LocalDate.of(year, 9, autumnalEquinoxDay(year)), "秋分の日");
        national.put(switch (year) {
            case 2020 -> LocalDate.of(2020, 7, 24);
            case 2021 -> LocalDate.of(2021, 7, 23);
            default -> nthMonday(year, Month.OCTOBER, 2);
        }, year >= 2020 ? "スポーツの日" : "体育の日");
        national.put(LocalDate.of(year, 11, 3), "文化の日");
        national.put(LocalDate.of(year, 11, 23), "勤労感謝の日");
        if (year <= 2018) {
            national.put(LocalDate.of(year, 12, 23), "天皇誕生日");
        }
        if (year == 2019) { // the accession of the Emperor (laws of 2017 and 2018)
            national.put(LocalDate.of(2019, 5, 1), "即位の日");
            national.put(LocalDate.of(2019, 10, 22), "即位礼正殿の儀の行われる日");
        }

        TreeMap<LocalDate, String> days = new TreeMap<>(national);
        // 国民の休日: a day that is not a national holiday, between two that are (Art. 3(3)).
        for (LocalDate d : national.keySet()) {
            LocalDate between = d.plusDays(1);
            if (!national.containsKey(between) && national.containsKey(between.plusDays(1))) {
                days.put(between, "国民の休日");
            }
        }
        // 振替休日: a national holiday on a Sunday makes the nearest later day that is no holiday one (Art. 3(2)).
        for (LocalDate d : national.keySet()) {
            if (d.getDayOfWeek() == DayOfWeek.SUNDAY) {
                LocalDate next = d.plusDays(1);
                while (days.containsKey(next)) {
                    next = next.plusDays(1);
                }
                days.put(next, "休日"); // never into the next year: no national holiday falls on 31 December
            }
        }
        return Collections.unmodifiableMap(days);
    }

    private static LocalDate nthMonday(int year, Month month, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, DayOfWeek.MONDAY));
    }

    /**
     * The day of March of the vernal equinox as the National Astronomical Observatory announces it,
     * by the usual approximation (exact for 1980-2099).
     */
    static int vernalEquinoxDay(int year) {
        return (int) Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }

    /** The day of September of the autumnal equinox, likewise. */
    static int autumnalEquinoxDay(int year) {
        return (int) Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }
}
