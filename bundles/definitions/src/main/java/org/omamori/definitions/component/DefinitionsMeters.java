package org.omamori.definitions.component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.definitions.Kind;
import org.omamori.definitions.PackageVersion;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;

/**
 * The definitions' meters (docs/metrics.md): per kind in force, an info gauge carrying the version
 * as a label ({@code omamori_definitions_info{kind,version} 1}, moved to the new version's label
 * when one is applied) and the seconds since that version was applied.
 */
final class DefinitionsMeters implements AutoCloseable {

    static final String INFO = "omamori.definitions.info";
    static final String AGE = "omamori.definitions.age.seconds";

    private final Meters meters;
    private final Function<Kind, Optional<Instant>> appliedAt;
    private final Clock clock;
    private final Map<Kind, Registration> info = new EnumMap<>(Kind.class);
    private final Map<Kind, Registration> age = new EnumMap<>(Kind.class);

    /** @param appliedAt when the version of a kind in force was applied (empty: none, or unknown) */
    DefinitionsMeters(Meters meters, Function<Kind, Optional<Instant>> appliedAt, Clock clock) {
        this.meters = meters;
        this.appliedAt = appliedAt;
        this.clock = clock;
    }

    /** {@code version} of {@code kind} is in force (at start, and whenever one is applied). */
    synchronized void inForce(Kind kind, PackageVersion version) {
        Registration old = info.remove(kind);
        if (old != null) {
            old.close();
        }
        info.put(kind, meters.gauge(INFO, "The definitions version in force, per kind (always 1; the version is the label)",
                () -> 1, "kind", kind.id(), "version", version.text()));
        age.computeIfAbsent(kind, k -> meters.gauge(AGE, "Seconds since the definitions version in force was applied, per kind",
                () -> ageSeconds(k), "kind", k.id()));
    }

    double ageSeconds(Kind kind) {
        return appliedAt.apply(kind).map(t -> Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0)).orElse(0.0);
    }

    @Override
    public synchronized void close() {
        info.values().forEach(Registration::close);
        age.values().forEach(Registration::close);
        info.clear();
        age.clear();
    }
}
