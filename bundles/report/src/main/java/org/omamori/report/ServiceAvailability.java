package org.omamori.report;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The service's own availability over a Japanese month (docs/reports.md "Availability"): the time
 * an A-level fault was open counts as down; planned maintenance windows are taken out of both the
 * down time and the month; {@code percent = 100 × (month − planned − down) / (month − planned)}.
 *
 * @param period  the month without the planned windows
 * @param planned the planned windows' time within the month (overlaps counted once)
 * @param down    the A faults' time within the month outside the planned windows (overlaps once)
 */
public record ServiceAvailability(YearMonth month, Duration period, Duration planned, Duration down, double percent) {

    /** The service's target: 99 % a month. */
    public static final double TARGET = 99.0;

    /** Whether the month met {@link #TARGET}. */
    public boolean met() {
        return percent >= TARGET;
    }

    /** A time span {@code [from, to)}. */
    public record Window(Instant from, Instant to) {
        public Window {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("a window ends after it starts: " + from + " .. " + to);
            }
        }
    }

    /** The month's availability from its A faults' spans and its planned windows (any order, may overlap or reach outside it). */
    public static ServiceAvailability of(YearMonth month, List<Window> outages, List<Window> plannedWindows) {
        Instant start = month.atDay(1).atStartOfDay(MonthlyFigures.ZONE).toInstant();
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(MonthlyFigures.ZONE).toInstant();
        List<Window> planned = union(clip(plannedWindows, start, end));
        List<Window> down = union(clip(outages, start, end));
        Duration plannedTime = length(planned);
        Duration downTime = length(down).minus(overlap(down, planned));
        Duration period = Duration.between(start, end).minus(plannedTime);
        double percent = period.isZero() ? 100.0 : 100.0 * (period.toMillis() - downTime.toMillis()) / period.toMillis();
        return new ServiceAvailability(month, period, plannedTime, downTime, percent);
    }

    private static List<Window> clip(List<Window> windows, Instant start, Instant end) {
        List<Window> clipped = new ArrayList<>();
        for (Window w : windows) {
            Instant f = w.from().isBefore(start) ? start : w.from();
            Instant t = w.to().isAfter(end) ? end : w.to();
            if (f.isBefore(t)) {
                clipped.add(new Window(f, t));
            }
        }
        return clipped;
    }

    /** Sorted, overlapping and touching windows merged. */
    private static List<Window> union(List<Window> windows) {
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparing(Window::from));
        List<Window> merged = new ArrayList<>();
        for (Window w : sorted) {
            if (!merged.isEmpty() && !w.from().isAfter(merged.getLast().to())) {
                Window last = merged.removeLast();
                merged.add(new Window(last.from(), w.to().isAfter(last.to()) ? w.to() : last.to()));
            } else {
                merged.add(w);
            }
        }
        return merged;
    }

    private static Duration length(List<Window> windows) {
        return windows.stream().map(w -> Duration.between(w.from(), w.to())).reduce(Duration.ZERO, Duration::plus);
    }

    /** The time two unions share. */
    private static Duration overlap(List<Window> a, List<Window> b) {
        Duration shared = Duration.ZERO;
        for (Window x : a) {
            for (Window y : b) {
                Instant f = x.from().isAfter(y.from()) ? x.from() : y.from();
                Instant t = x.to().isBefore(y.to()) ? x.to() : y.to();
                if (f.isBefore(t)) {
                    shared = shared.plus(Duration.between(f, t));
                }
            }
        }
        return shared;
    }
}
