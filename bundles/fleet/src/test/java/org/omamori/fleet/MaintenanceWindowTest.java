package org.omamori.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

/** Maintenance windows in Japanese time, Vario's second Wednesday 23:00–28:00 among them (docs/fleet.md). */
class MaintenanceWindowTest {

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    static ZonedDateTime at(String local) {
        return java.time.LocalDateTime.parse(local).atZone(JST);
    }

    @Test
    void varioSecondWednesdayRunsPastMidnightIntoThursday() {
        MaintenanceWindow vario = MaintenanceWindow.parse("2nd-wed 23:00-28:00");
        // December 2026: Wednesdays 2, 9, 16; the second is the 9th.
        assertThat(vario.contains(at("2026-12-09T22:59"))).isFalse();
        assertThat(vario.contains(at("2026-12-09T23:00"))).isTrue();
        assertThat(vario.contains(at("2026-12-10T03:59"))).as("28:00 is 04:00 the next day").isTrue();
        assertThat(vario.contains(at("2026-12-10T04:00"))).isFalse();
        assertThat(vario.contains(at("2026-12-02T23:30"))).as("the first Wednesday").isFalse();
        assertThat(vario.contains(at("2026-12-16T23:30"))).as("the third").isFalse();
        // A month that starts on a Wednesday (September 2027: the 1st and the 8th).
        assertThat(vario.contains(at("2027-09-08T23:30"))).isTrue();
        assertThat(vario.contains(at("2027-09-01T23:30"))).isFalse();
        // Across a year's end: January 2027's second Wednesday is the 13th.
        assertThat(vario.contains(at("2027-01-13T23:00"))).isTrue();
    }

    @Test
    void dailyAndWeeklyWindowsAndBadText() {
        assertThat(MaintenanceWindow.parse("daily 02:00-05:00").contains(at("2026-12-31T04:59"))).isTrue();
        assertThat(MaintenanceWindow.parse("daily 02:00-05:00").contains(at("2026-12-31T05:00"))).isFalse();
        assertThat(MaintenanceWindow.parse("daily 00:00-24:00").contains(at("2026-03-31T12:00"))).isTrue();
        assertThat(MaintenanceWindow.parse("Sun 22:00-26:00").contains(at("2026-12-07T01:30"))).as("Monday 01:30 is Sunday's 25:30")
                .isTrue();
        assertThatThrownBy(() -> MaintenanceWindow.parse("nightly")).hasMessageContaining("daily HH:MM-HH:MM");
        assertThatThrownBy(() -> MaintenanceWindow.parse("daily 05:00-02:00")).hasMessageContaining("lasts");
        assertThatThrownBy(() -> MaintenanceWindow.parse("daily 02:60-05:00")).hasMessageContaining("minutes");
        assertThatThrownBy(() -> MaintenanceWindow.parse("6th-wed 23:00-28:00")).isInstanceOf(IllegalArgumentException.class);
    }
}
