package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.omamori.monitor.MonthlyReports;
import org.omamori.report.ReportPdf;
import org.omamori.report.ServiceAvailability;
import org.omamori.store.CustomerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./omamori report}: the customers' monthly reports and the service's availability (docs/reports.md). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Monthly reports (docs/reports.md). 'monthly' makes every customer's Japanese PDF report of --month that is",
                "not made yet (a rerun makes no duplicates); 'show' writes one customer's report to --out; 'availability' prints",
                "the service's availability of --month (A faults, planned maintenance excluded) against the 99 % target.",
                "Exit codes: monthly 0 done, 1 the store could not be opened or a report failed; show 0 written, 1 no such",
                "report; availability 0 target met, 1 missed; 2 bad usage."})
final class ReportCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Command(name = "monthly", description = "Makes every customer's report of --month (YYYY-MM) not made yet; prints made, skipped and the time.")
    int monthly(@Option(names = "--month", required = true, paramLabel = "YYYY-MM") String month,
                @Option(names = "--font", paramLabel = "TTF", description = "A TrueType font with Japanese glyphs (default: Debian's IPA Gothic).")
                Path font,
                @Option(names = "--threads", paramLabel = "N", description = "Workers (default: the cores).") Integer threads) {
        PrintWriter err = spec.commandLine().getErr();
        YearMonth m;
        ReportPdf pdf;
        try {
            m = month(month);
        } catch (IllegalArgumentException e) {
            err.println("omamori report: " + e.getMessage());
            return 2;
        }
        try {
            pdf = font == null ? ReportPdf.withDebianFont() : new ReportPdf(font);
        } catch (IllegalArgumentException e) {
            err.println("omamori report: " + e.getMessage());
            return 1;
        }
        Path h = CloudStoreAccess.home(home);
        try (Store store = CloudStoreAccess.open(h)) {
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            MonthlyReports.Run run = new MonthlyReports(store.reports(), store.faults(), pdf, CliEditions.installed()::of,
                    CloudStoreAccess.brands(h), n, Clock.systemUTC()).run(m);
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d made, %d skipped (made before), %d failed in %.1f s (%.1f reports/s)%n",
                    m, run.made(), run.skipped(), run.failed(), run.took().toMillis() / 1000.0, run.perSecond());
            return run.failed() == 0 ? 0 : 1;
        } catch (Exception e) {
            err.println("omamori report: " + e.getMessage());
            return 1;
        }
    }

    @Command(name = "show", description = "Writes customer ID's report of --month to --out.")
    int show(@Option(names = "--customer", required = true, paramLabel = "ID") long customer,
             @Option(names = "--month", required = true, paramLabel = "YYYY-MM") String month,
             @Option(names = "--out", required = true, paramLabel = "FILE") Path out) {
        PrintWriter err = spec.commandLine().getErr();
        YearMonth m;
        try {
            m = month(month);
        } catch (IllegalArgumentException e) {
            err.println("omamori report: " + e.getMessage());
            return 2;
        }
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            byte[] pdf = store.reports().get(TenantScope.operator(), new CustomerId(customer), m).orElse(null);
            if (pdf == null) {
                err.println("omamori report: customer " + customer + " has no report of " + m + " (./omamori report monthly --month " + m + ")");
                return 1;
            }
            Files.write(out, pdf);
            spec.commandLine().getOut().println(out);
            return 0;
        } catch (Exception e) {
            err.println("omamori report: " + e.getMessage());
            return 1;
        }
    }

    @Command(name = "availability", description = {"Prints the service's availability of --month: A faults count as down, planned",
            "maintenance is left out: the maintenance announced to all customers (not emergency work), or the --planned windows",
            "given instead (FROM/TO, Japan time, e.g. 2026-05-10T01:00/2026-05-10T05:00; repeatable)."})
    int availability(@Option(names = "--month", required = true, paramLabel = "YYYY-MM") String month,
                     @Option(names = "--planned", paramLabel = "FROM/TO") List<String> planned) {
        PrintWriter err = spec.commandLine().getErr();
        YearMonth m;
        List<ServiceAvailability.Window> windows = new ArrayList<>();
        try {
            m = month(month);
            for (String p : planned == null ? List.<String>of() : planned) {
                int slash = p.indexOf('/');
                if (slash < 0) {
                    throw new IllegalArgumentException("--planned " + p + " is not FROM/TO");
                }
                windows.add(new ServiceAvailability.Window(CliDates.dateTime("--planned", p.substring(0, slash)).toInstant(),
                        CliDates.dateTime("--planned", p.substring(slash + 1)).toInstant()));
            }
        } catch (IllegalArgumentException e) {
            err.println("omamori report: " + e.getMessage());
            return 2;
        }
        try (Store store = CloudStoreAccess.open(CloudStoreAccess.home(home))) {
            if (planned == null || planned.isEmpty()) {
                windows = MonthlyReports.plannedMaintenance(store.announcements().list(org.omamori.store.TenantScope.operator()));
            }
            ServiceAvailability a = MonthlyReports.serviceAvailability(store.faults(), m, windows, Clock.systemUTC().instant());
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %.3f %% available (target %.0f %%: %s); down %d min of %d min, planned %d min left out%n",
                    m, a.percent(), ServiceAvailability.TARGET, a.met() ? "met" : "missed", a.down().toMinutes(), a.period().toMinutes(),
                    a.planned().toMinutes());
            return a.met() ? 0 : 1;
        } catch (Exception e) {
            err.println("omamori report: " + e.getMessage());
            return 1;
        }
    }

    private static YearMonth month(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--month " + text + " is not a month YYYY-MM");
        }
    }
}
