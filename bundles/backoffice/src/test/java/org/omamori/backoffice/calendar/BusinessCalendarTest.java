package org.omamori.backoffice.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void theHolidaysOf2026And2027AsTheCabinetOfficePublishesThem() {
        // 内閣府「国民の祝日」: 2026 and 2027, written out by hand here.
        assertThat(JapaneseHolidays.of(2026).keySet()).containsExactly(
                d("2026-01-01"), d("2026-01-12"), d("2026-02-11"), d("2026-02-23"), d("2026-03-20"), d("2026-04-29"),
                d("2026-05-03"), d("2026-05-04"), d("2026-05-05"), d("2026-05-06"), d("2026-07-20"), d("2026-08-11"),
                d("2026-09-21"), d("2026-09-22"), d("2026-09-23"), d("2026-10-12"), d("2026-11-03"), d("2026-11-23"));
        assertThat(JapaneseHolidays.of(2027).keySet()).containsExactly(
                d("2027-01-01"), d("2027-01-11"), d("2027-02-11"), d("2027-02-23"), d("2027-03-21"), d("2027-03-22"),
                d("2027-04-29"), d("2027-05-03"), d("2027-05-04"), d("2027-05-05"), d("2027-07-19"), d("2027-08-11"),
                d("2027-09-20"), d("2027-09-23"), d("2027-10-11"), d("2027-11-03"), d("2027-11-23"));
        assertThat(JapaneseHolidays.name(d("2026-05-06"))).contains("休日"); // 5/3 on a Sunday: substitute after 5/4 and 5/5
        assertThat(JapaneseHolidays.name(d("2026-09-22"))).contains("国民の休日"); // between 敬老の日 and 秋分の日
        assertThat(JapaneseHolidays.name(d("2027-03-22"))).contains("休日"); // 春分の日 on a Sunday
        assertThat(JapaneseHolidays.name(d("2026-12-23"))).isEmpty(); // the Emperor's Birthday is 23 February since 2020
    }

    @Test
    void theOneOffYearsAndTheEquinoxes() {
        Map<LocalDate, String> y2019 = JapaneseHolidays.of(2019);
        assertThat(y2019).containsEntry(d("2019-04-30"), "国民の休日").containsEntry(d("2019-05-01"), "即位の日")
                .containsEntry(d("2019-05-02"), "国民の休日").containsEntry(d("2019-10-22"), "即位礼正殿の儀の行われる日")
                .doesNotContainKey(d("2019-12-23")).doesNotContainKey(d("2019-02-23"));
        assertThat(JapaneseHolidays.of(2020)).containsEntry(d("2020-07-23"), "海の日").containsEntry(d("2020-07-24"), "スポーツの日")
                .containsEntry(d("2020-08-10"), "山の日").containsEntry(d("2020-02-24"), "休日");
        assertThat(JapaneseHolidays.of(2021)).containsEntry(d("2021-07-22"), "海の日").containsEntry(d("2021-08-08"), "山の日")
                .containsEntry(d("2021-08-09"), "休日");
        // Equinoxes announced by the National Astronomical Observatory.
        assertThat(JapaneseHolidays.of(2024)).containsKeys(d("2024-03-20"), d("2024-09-22"), d("2024-09-23"));
        assertThat(JapaneseHolidays.of(2025)).containsKeys(d("2025-03-20"), d("2025-09-23"));
        assertThat(JapaneseHolidays.of(2028)).containsKeys(d("2028-03-20"), d("2028-09-22"));
        assertThat(JapaneseHolidays.of(2015)).containsEntry(d("2015-09-22"), "国民の休日"); // the first "silver week"
        assertThatThrownBy(() -> JapaneseHolidays.of(2100)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2099");
    }

    @Test
    void businessDaysSkipWeekendsHolidaysAndTheEditionsClosedDays() {
        BusinessCalendar standard = BusinessCalendar.standard();
        BusinessCalendar niigata = new BusinessCalendar(List.of(BusinessCalendar.YEAR_END,
                new org.omamori.api.edition.Terms.ClosedDays(MonthDay.of(8, 15), MonthDay.of(8, 15))));
        // Golden Week 2026: the 5th business day of May is the 12th.
        assertThat(standard.nthBusinessDay(YearMonth.of(2026, 5), 5)).isEqualTo(d("2026-05-12"));
        // Year-end: January 2027's first business day is the 4th, its 5th the 8th.
        assertThat(standard.nthBusinessDay(YearMonth.of(2027, 1), 1)).isEqualTo(d("2027-01-04"));
        assertThat(standard.nthBusinessDay(YearMonth.of(2027, 1), 5)).isEqualTo(d("2027-01-08"));
        assertThat(standard.isBusinessDay(d("2026-12-28"))).isTrue();
        assertThat(standard.isBusinessDay(d("2026-12-29"))).isFalse();
        // Monday holidays: September 2026 (敬老の日 21st, 国民の休日 22nd, 秋分の日 23rd) and September 2027 (敬老の日 20th, 秋分の日 23rd).
        assertThat(standard.nthBusinessDay(YearMonth.of(2026, 9), 5)).isEqualTo(d("2026-09-07"));
        assertThat(standard.nthBusinessDay(YearMonth.of(2027, 9), 15)).isEqualTo(d("2027-09-22"));
        // 15 August is Niigata's own: a Friday in 2025.
        assertThat(standard.isBusinessDay(d("2025-08-15"))).isTrue();
        assertThat(niigata.isBusinessDay(d("2025-08-15"))).isFalse();
        assertThat(niigata.onOrBefore(d("2026-08-15"))).isEqualTo(d("2026-08-14"));
        assertThat(niigata.onOrBefore(d("2027-01-31"))).isEqualTo(d("2027-01-29"));
        assertThat(standard.onOrAfter(d("2026-12-29"))).isEqualTo(d("2027-01-04"));
        assertThatThrownBy(() -> standard.nthBusinessDay(YearMonth.of(2026, 5), 40)).isInstanceOf(IllegalArgumentException.class);
    }
}
