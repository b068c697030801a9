package org.omamori.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.omamori.api.edition.Edition;
import org.omamori.notify.Brand;
import org.omamori.notify.Fault;
import org.omamori.notify.Mail;
import org.omamori.notify.MailBrands;
import org.omamori.report.MonthlyFigures;
import org.omamori.report.ReportPdf;
import org.omamori.report.ServiceAvailability;
import org.omamori.store.Addressee;
import org.omamori.store.CustomerId;
import org.omamori.store.Faults;
import org.omamori.store.ServiceAvailabilities;
import org.omamori.store.Reports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every customer's monthly report of a month (docs/reports.md): customers walked by id in
 * batches, those with the month's report skipped, each report counted, rendered and stored by a
 * small fixed pool (the figures' queries and PDFBox's rendering overlap across the cores); a rerun
 * makes only what is missing. Progress is logged every {@link #LOG_EVERY} customers with the rate.
 */
public final class MonthlyReports {

    private static final Logger LOG = LoggerFactory.getLogger(MonthlyReports.class);

    /** Customers per batch asked of the store. */
    public static final int BATCH = 500;
    /** How often progress is logged, in customers. */
    public static final int LOG_EVERY = 1000;

    /** A run's outcome: reports made, found made already (also by a concurrent run), failed (logged). */
    public record Run(YearMonth month, int made, int skipped, int failed, Duration took) {
        public double perSecond() {
            return took.isZero() ? made : made * 1000.0 / Math.max(1, took.toMillis());
        }
    }

    private final Reports reports;
    private final Faults faults;
    private final ReportPdf pdf;
    private final Function<Optional<String>, Edition> editions;
    private final MailBrands brands;
    private final int threads;
    private final Clock clock;

    /**
     * @param editions each customer's edition by its reseller's edition id (empty: the neutral default)
     * @param brands   the mail brands for customers who chose report mail; null: no mail
     * @param threads  the pool's size, e.g. the cores
     */
    public MonthlyReports(Reports reports, Faults faults, ReportPdf pdf, Function<Optional<String>, Edition> editions, MailBrands brands,
                          int threads, Clock clock) {
        this.reports = Objects.requireNonNull(reports, "reports");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.pdf = Objects.requireNonNull(pdf, "pdf");
        this.editions = Objects.requireNonNull(editions, "editions");
        this.brands = brands;
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The month before {@code now}'s (Japanese) month: what the run on the 1st reports on. */
    public static YearMonth previous(Instant now) {
        return YearMonth.from(now.atZone(MonthlyFigures.ZONE)).minusMonths(1);
    }

    /** Makes the month's missing reports; safe to run again and beside another run (each report is stored once). */
    public Run run(YearMonth month) {
        Objects.requireNonNull(month, "month");
        Instant started = clock.instant();
        Reports.Progress before = reports.progress(month);
        LOG.info("monthly reports {}: {} customers, {} made already", month, before.customers(), before.made());
        AtomicInteger made = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger((int) before.made());
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long total = before.customers() - before.made();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "monthly-reports");
            t.setDaemon(true);
            return t;
        });
        try {
            long after = 0;
            while (true) {
                List<CustomerId> batch = reports.pending(month, after, BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                after = batch.getLast().value();
                List<Future<?>> running = new ArrayList<>(batch.size());
                for (CustomerId c : batch) {
                    running.add(pool.submit(() -> {
                        try {
                            if (makeOne(c, month)) {
                                made.incrementAndGet();
                            } else {
                                skipped.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            LOG.warn("monthly report {} of customer {} failed: {}", month, c.value(), e.toString());
                        }
                        int n = done.incrementAndGet();
                        if (n % LOG_EVERY == 0) {
                            Duration so = Duration.between(started, clock.instant());
                            LOG.info("monthly reports {}: {}/{} customers in {} s ({} /s)", month, n, total, so.toSeconds(),
                                    String.format(java.util.Locale.ROOT, "%.1f", n * 1000.0 / Math.max(1, so.toMillis())));
                        }
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("monthly reports " + month + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("monthly reports " + month + ": " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        Run run = new Run(month, made.get(), skipped.get(), failed.get(), Duration.between(started, clock.instant()));
        LOG.info("monthly reports {}: {} made, {} skipped (made before), {} failed in {} s ({} /s)", month, run.made(), run.skipped(),
                run.failed(), run.took().toSeconds(), String.format(java.util.Locale.ROOT, "%.1f", run.perSecond()));
        return run;
    }

    /** One customer's report: counted, rendered in its edition's brand, stored unless stored meanwhile. */
    boolean makeOne(CustomerId customer, YearMonth month) {
        Optional<MonthlyFigures> figures = reports.figures(customer, month);
        if (figures.isEmpty()) {
            return false; // erased meanwhile
        }
        MonthlyFigures f = figures.get();
        byte[] bytes = pdf.render(f, editions.apply(f.edition()));
        return reports.save(customer, month, bytes, brands == null ? null : to -> mail(brands.of(to.edition()), to, month));
    }

    /** The mail telling a customer its report is ready: where in the portal, no attachment. */
    static Mail mail(Brand brand, Addressee to, YearMonth month) {
        String when = month.getYear() + "年" + month.getMonthValue() + "月";
        String link = (brand.portal().endsWith("/") ? brand.portal() : brand.portal() + "/") + "reports";
        String body = brand.greeting() + "\n\n"
                + brand.serviceName() + "の" + when + "の月次セキュリティレポートができました。\n"
                + "ポータルの「レポート」からご覧いただけます（PDF）。\n\n"
                + link + "\n\n"
                + brand.signature() + "\n";
        return brand.mail(to.to(), "【" + brand.serviceName() + "】" + when + "の月次レポート", body);
    }

    /** {@link ServiceAvailabilities#plannedMaintenance}. */
    public static List<ServiceAvailability.Window> plannedMaintenance(List<org.omamori.store.Announcement> announcements) {
        return ServiceAvailabilities.plannedMaintenance(announcements);
    }

    /** The service's availability of {@code month} leaving out {@code planned} ({@link ServiceAvailabilities}). */
    public ServiceAvailability serviceAvailability(YearMonth month, List<ServiceAvailability.Window> planned) {
        return ServiceAvailabilities.of(faults, month, planned, clock.instant());
    }

    /** {@link ServiceAvailabilities#of(Faults, YearMonth, List, Instant)}. */
    public static ServiceAvailability serviceAvailability(Faults faults, YearMonth month, List<ServiceAvailability.Window> planned,
                                                          Instant now) {
        return ServiceAvailabilities.of(faults, month, planned, now);
    }
}
