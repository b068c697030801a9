package org.omamori.report;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one customer's monthly report says (docs/reports.md), as the store counted it. Months are
 * Japanese ({@link #ZONE}); detections are threat events; only ★★★ and ★★☆ alerts are listed.
 *
 * @param customer     the customer's id
 * @param company      the customer's company name (御中)
 * @param edition      its reseller's edition id; empty: the neutral default
 * @param month        the month reported on
 * @param participants how many customers took part in the comparison (with an appliance before the month's end)
 * @param functions    per security function: the customer's detections and, with at least {@link #MIN_PEERS}
 *                     participants, the average per participant
 * @param appliances   the customer's appliances with their detections, availability and definitions updates
 * @param alerts       the month's ★★★ / ★★☆ alerts, oldest first, at most {@link #MAX_ALERTS}
 * @param moreAlerts   how many more there were than listed
 */
public record MonthlyFigures(long customer, String company, Optional<String> edition, YearMonth month, int participants,
                             List<FunctionCount> functions, List<ApplianceFigures> appliances, List<ImportantAlert> alerts,
                             long moreAlerts) {

    /** Japan's months and days. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    /** The fewest participants over which an average is shown (as the portal's comparison). */
    public static final int MIN_PEERS = 5;
    /** The most alerts a report lists. */
    public static final int MAX_ALERTS = 40;

    public MonthlyFigures {
        Objects.requireNonNull(company, "company");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(month, "month");
        functions = List.copyOf(functions);
        appliances = List.copyOf(appliances);
        alerts = List.copyOf(alerts);
    }

    /** One security function ({@code ips}, {@code antivirus}, …). */
    public record FunctionCount(String function, long own, OptionalDouble average) {
    }

    /**
     * One appliance in the month.
     *
     * @param byFunction          detections per security function id
     * @param hoursSeen           hours of the month in which a heartbeat came
     * @param hoursExpected       hours of the month the appliance was registered (0: not at all)
     * @param definitionsUpdates  times its definitions changed in the month
     * @param definitionsSince    when its definitions in force came (last heartbeat), if it ever sent one
     */
    public record ApplianceFigures(String id, String name, Map<String, Long> byFunction, long hoursSeen, long hoursExpected,
                                   int definitionsUpdates, Optional<Instant> definitionsSince) {
        public ApplianceFigures {
            byFunction = Map.copyOf(byFunction);
        }

        public long total() {
            return byFunction.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Percent of the expected hours with a heartbeat; empty when none were expected. */
        public OptionalDouble availabilityPercent() {
            return hoursExpected <= 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * Math.min(hoursSeen, hoursExpected) / hoursExpected);
        }
    }

    /**
     * An important alert and what was done about it.
     *
     * @param stars      ★★★ or ★★☆
     * @param result     what the appliance did with its first event ({@code block}, {@code pass}, …), if still known
     * @param resolution {@code CONFIRMED} or {@code BENIGN} once an investigation ended
     */
    public record ImportantAlert(String displayId, String stars, Instant first, String function, String target, String appliance,
                                 Optional<String> result, Optional<String> resolution, boolean suppressed) {
    }

    /** All the month's detections. */
    public long total() {
        return functions.stream().mapToLong(FunctionCount::own).sum();
    }

    /** Whether enough customers take part for the average to be shown. */
    public boolean averageShown() {
        return participants >= MIN_PEERS;
    }

    public long alertCount(String stars) {
        return alerts.stream().filter(a -> a.stars().equals(stars)).count();
    }
}
