package org.omamori.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.grading.Alert;
import org.omamori.grading.Facts;
import org.omamori.grading.Reevaluation;
import org.omamori.grading.Resolution;
import org.omamori.notify.AlertMail;
import org.omamori.notify.MailBrands;
import org.omamori.store.Investigation;
import org.omamori.store.Monitoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks again at alerts under investigation (調査中) with the cloud's own engines whenever their
 * definitions change (000 §4.3.1: 調査完了後に調査報告結果を送信): each alert's facts — URL, DNS
 * name, server — go through every engine; the strongest finding, graded by the star table,
 * confirms the alert, none makes it benign, and either sends the follow-up report.
 */
public final class Investigator {

    /** Alerts looked at in one run; the rest wait for the next. */
    static final int BATCH = 200;
    /**
     * How long engines and definitions must stay the same before alerts are looked at with them:
     * a definitions version is recorded when its package is applied, and an engine may still be
     * loading it (a large list takes a second or two) — judging then would call a threat benign.
     */
    public static final Duration SETTLE = Duration.ofSeconds(30);

    private final Duration settle;

    private static final Logger LOG = LoggerFactory.getLogger(Investigator.class);

    private final Monitoring monitoring;
    private final MailBrands brands;
    private final java.util.function.Function<java.util.Optional<String>, org.omamori.grading.StarTable> tables;
    private final Supplier<Collection<Engine>> engines;
    private final Supplier<Map<String, String>> definitions;
    private final MonitorSettings settings;
    private final Clock clock;
    private String seen = "";
    private Instant seenSince = Instant.MIN;

    /**
     * @param engines     the cloud's engines now
     * @param definitions the versions of the definitions they run with (kind → version)
     */
    public Investigator(Monitoring monitoring, MonitorSettings settings, Supplier<Collection<Engine>> engines,
                        Supplier<Map<String, String>> definitions, Clock clock) {
        this(monitoring, settings, MailBrands.only(settings.brand()), edition -> settings.stars(), engines, definitions, clock, SETTLE);
    }

    /**
     * @param brands the brand of each customer's follow-up report
     * @param tables each customer's star table, by its edition, to re-grade with
     * @param settle how long engines and definitions must stay the same before they judge ({@link #SETTLE})
     */
    public Investigator(Monitoring monitoring, MonitorSettings settings, MailBrands brands,
                        java.util.function.Function<java.util.Optional<String>, org.omamori.grading.StarTable> tables,
                        Supplier<Collection<Engine>> engines,
                        Supplier<Map<String, String>> definitions, Clock clock, Duration settle) {
        this.settle = settle;
        this.brands = Objects.requireNonNull(brands, "brands");
        this.monitoring = Objects.requireNonNull(monitoring, "monitoring");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tables = Objects.requireNonNull(tables, "tables");
        this.engines = Objects.requireNonNull(engines, "engines");
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One run: the alerts the current engines and definitions have not looked at.
     *
     * @return how many were resolved (confirmed or benign)
     */
    public synchronized int run() {
        List<Engine> now = List.copyOf(engines.get());
        if (now.isEmpty()) {
            return 0; // nothing to look with: the alerts wait
        }
        String fingerprint = fingerprint(now, definitions.get());
        Instant at = clock.instant();
        if (!fingerprint.equals(seen)) {
            seen = fingerprint;
            seenSince = at;
        }
        if (Duration.between(seenSince, at).compareTo(settle) < 0) {
            return 0; // engines or definitions just changed: let them settle
        }
        int resolved = 0;
        for (Investigation inv : monitoring.investigations(fingerprint, BATCH)) {
            Resolution r = look(new Reevaluation(tables.apply(inv.edition())), inv.alert(), now, clock.instant());
            monitoring.settle(inv, r, fingerprint, (resolution, appliance, to) ->
                    AlertMail.followUp(brands.of(to.edition()), to.to(), appliance, resolution));
            if (r.mails()) {
                resolved++;
                LOG.info("investigation of alert {} ended: {} ({})", inv.alert().id(), r.outcome(), r.alert().grade().labelEn());
            }
        }
        return resolved;
    }

    /** What the engines say about the alert's facts: the strongest of their resolutions. */
    Resolution look(Reevaluation reevaluation, Alert alert, List<Engine> with, Instant at) {
        List<Resolution> each = new ArrayList<>();
        for (Engine engine : with) {
            Verdict verdict = verdict(engine, request(alert));
            each.add(reevaluation.resolve(alert, engine.descriptor(), verdict, at));
        }
        Comparator<Resolution> strength = Comparator.comparing((Resolution r) -> r.outcome() == Resolution.Outcome.CONFIRMED)
                .thenComparing(r -> r.outcome() == Resolution.Outcome.STILL_UNDER_INVESTIGATION)
                .thenComparing(r -> r.alert().grade());
        return each.stream().max(strength).orElseThrow();
    }

    private static Verdict verdict(Engine engine, InspectionRequest request) {
        Inspection inspection = engine.inspect(request);
        try {
            return inspection.verdict(); // facts only: there is no body to give

        } finally {
            inspection.close();
        }
    }

    /** The traffic the alert stands for, as far as its facts tell: no content is ever kept. */
    static InspectionRequest request(Alert alert) {
        Facts f = alert.facts();
        InspectionRequest.Builder b;
        if (!f.url().isEmpty()) {
            b = InspectionRequest.http("GET", f.url());
        } else if (!f.dnsName().isEmpty()) {
            b = InspectionRequest.dns(f.dnsName());
        } else if (!f.serverName().isEmpty()) {
            b = InspectionRequest.tls(f.serverName());
        } else {
            b = InspectionRequest.other();
        }
        return b.connection(new Connection(f.zones(), alert.host().address(), 0, f.peer(), 0, alert.host().mac())).build();
    }

    /** Names the engines and definitions in force: a change of either is a reason to look again. */
    static String fingerprint(List<Engine> engines, Map<String, String> definitions) {
        String e = engines.stream().map(x -> x.descriptor().id() + "@" + x.descriptor().version()).sorted()
                .collect(Collectors.joining(","));
        String d = new TreeMap<>(definitions).entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                .collect(Collectors.joining(","));
        String text = e + ";" + d;
        return text.length() <= 2000 ? text : text.substring(0, 1960) + "#" + Integer.toHexString(text.hashCode());
    }
}
