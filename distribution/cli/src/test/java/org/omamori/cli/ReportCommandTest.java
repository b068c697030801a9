package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.notify.Fault;
import org.omamori.store.CustomerId;
import org.omamori.store.Faults;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;


/** {@code ./omamori report}: monthly (made, then skipped on a rerun), show, availability; output and exit codes. */
class ReportCommandTest extends CloudHomeCommands {

    @TempDir
    Path folder;

    @Test
    void monthlyMakesEachReportOnceShowWritesItAndAvailabilityTellsTheTarget() throws Exception {
        assertThat(Files.isRegularFile(org.omamori.pdf.JapaneseFont.DEBIAN_IPA_GOTHIC)).as("scripts/fonts.sh install").isTrue();
        YearMonth last = YearMonth.now(CliDates.JST).minusMonths(1);
        CustomerId customer;
        try (Store store = Store.open(StoreSettings.ofHome(home))) {
            ResellerId r = store.tenants().createReseller("新潟商工会議所", Optional.of("niigata"));
            customer = store.tenants().createCustomer(r, "株式会社テスト");
            // created now, after last month: back-date it so that it takes part in last month
            try (var c = store.dataSource().getConnection(); var s = c.prepareStatement("UPDATE customers SET created_at = ?")) {
                s.setObject(1, java.time.OffsetDateTime.now().minusYears(1));
                s.executeUpdate();
            }
            Instant start = last.atDay(2).atStartOfDay(CliDates.JST).toInstant();
            store.faults().observe(new Faults.Observation(Fault.Level.A, Fault.Component.DATABASE, "database", "down", Optional.empty(),
                    Faults.Affected.everyone()), start);
            store.faults().resolveKey("database", start.plusSeconds(10 * 3600), "test", (f, to) -> null);
        }
        assertThat(run("report", "monthly", "--month", last.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 made, 0 skipped");
        assertThat(run("report", "monthly", "--month", last.toString())).isZero();
        assertThat(out.toString()).as("a rerun").contains("0 made, 1 skipped");

        Path pdf = folder.resolve("report.pdf");
        assertThat(run("report", "show", "--customer", String.valueOf(customer.value()), "--month", last.toString(), "--out", pdf.toString()))
                .isZero();
        assertThat(Files.readAllBytes(pdf)).startsWith("%PDF".getBytes());
        assertThat(run("report", "show", "--customer", "99", "--month", last.toString(), "--out", pdf.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no report");
        assertThat(run("report", "show", "--customer", "1", "--month", "May", "--out", pdf.toString())).isEqualTo(2);

        assertThat(run("report", "availability", "--month", last.toString())).as("10 h down: missed").isEqualTo(1);
        assertThat(out.toString()).contains("missed", "down 600 min");
        String from = last.atDay(2).atStartOfDay() + "";
        String to = last.atDay(2).atTime(6, 0) + "";
        assertThat(run("report", "availability", "--month", last.toString(), "--planned", from + "/" + to)).as("4 h down: met").isZero();
        assertThat(out.toString()).contains("met", "down 240 min", "planned 360 min");
        assertThat(run("report", "availability", "--month", last.toString(), "--planned", "tomorrow")).isEqualTo(2);
    }
}
