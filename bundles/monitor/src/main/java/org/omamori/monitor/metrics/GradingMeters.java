package org.omamori.monitor.metrics;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.Grade;
import org.omamori.grading.Grading;
import org.omamori.grading.GradingContext;
import org.omamori.grading.Suppression;
import org.omamori.metrics.Counter;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Timer;

/**
 * Grading with its meters (docs/metrics.md): the time of each batch's grading alone (inside the
 * ingest transaction, without the storing around it), and the alerts opened by grade, counted once
 * the batch committed (a rolled-back batch opened nothing).
 */
public final class GradingMeters implements Grading {

    static final String ALERTS = "omamori.cloud.alerts";
    static final String DURATION = "omamori.cloud.grading.duration";

    private final Grading grading;
    private final Map<Grade, Counter> opened = new EnumMap<>(Grade.class);
    private final Timer duration;

    public GradingMeters(Grading grading, Meters meters) {
        this.grading = Objects.requireNonNull(grading, "grading");
        for (Grade g : Grade.values()) {
            opened.put(g, meters.counter(ALERTS, "Alerts opened by grading, by their grade when opened (high = ★★★, medium = ★★☆, low = ★☆☆)",
                    "grade", label(g)));
        }
        duration = meters.timer(DURATION, "Time to grade one batch's new threat events (inside the ingest transaction)");
    }

    /** The label value of a grade: {@code high}, {@code medium}, {@code low}, {@code under_investigation}, {@code none}. */
    static String label(Grade g) {
        return g.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void grade(GradingContext context, List<Event> threats) {
        Counting counting = new Counting(context);
        long start = System.nanoTime();
        grading.grade(counting, threats);
        duration.recordNanos(System.nanoTime() - start);
        if (counting.any) {
            context.afterCompletion(committed -> {
                if (committed) {
                    for (Grade g : Grade.values()) {
                        int n = counting.opened[g.ordinal()];
                        if (n > 0) {
                            opened.get(g).add(n);
                        }
                    }
                }
            });
        }
    }

    /** The context as grading sees it, counting the alerts it opens. */
    private static final class Counting implements GradingContext {
        private final GradingContext context;
        final int[] opened = new int[Grade.values().length];
        boolean any;

        Counting(GradingContext context) {
            this.context = context;
        }

        @Override
        public void save(AlertChange change) {
            context.save(change);
            if (change.type() == AlertChange.Type.OPENED) {
                opened[change.alert().grade().ordinal()]++;
                any = true;
            }
        }

        @Override
        public long customer() {
            return context.customer();
        }

        @Override
        public Optional<String> edition() {
            return context.edition();
        }

        @Override
        public ApplianceId appliance() {
            return context.appliance();
        }

        @Override
        public long sequence() {
            return context.sequence();
        }

        @Override
        public Instant now() {
            return context.now();
        }

        @Override
        public List<Alert> alertsSince(Instant since) {
            return context.alertsSince(since);
        }

        @Override
        public List<Event> threatsSince(Instant since) {
            return context.threatsSince(since);
        }

        @Override
        public List<Suppression> suppressions(Instant at) {
            return context.suppressions(at);
        }

        @Override
        public void afterCompletion(Consumer<Boolean> action) {
            context.afterCompletion(action);
        }
    }
}
