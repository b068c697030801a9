package org.omamori.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.omamori.grading.Grade;

/**
 * The important alerts of one customer that go out in one mail (000 §4.3.1 「複数のアラートを 1 つの
 * メールでまとめて送信します」).
 *
 * @param customer the customer
 * @param alerts   its alerts, oldest first, at least one
 */
public record AlertBatch(String customer, List<PendingAlert> alerts) {

    /** The usual window: the first alert waits this long for others to join it. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    public AlertBatch {
        Objects.requireNonNull(customer, "customer");
        alerts = alerts.stream().sorted(Comparator.comparing((PendingAlert p) -> p.alert().first())
                .thenComparing(p -> p.alert().id().toString())).toList();
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("an alert batch needs at least one alert");
        }
        for (PendingAlert p : alerts) {
            if (!p.customer().equals(customer)) {
                throw new IllegalArgumentException("alert " + p.alert().id() + " belongs to customer " + p.customer()
                        + ", not " + customer + ": one mail never mixes customers");
            }
        }
    }

    /** The grade the subject shows: the highest of the batch. */
    public Grade highest() {
        return alerts.stream().map(p -> p.alert().grade()).reduce(Grade.NONE, Grade::max);
    }

    /**
     * A key that names this batch for the outbox, so composing it twice (a job that ran again after
     * a crash) enqueues one mail: the customer and the alerts' ids.
     */
    public String key() {
        var b = new StringBuilder("alerts:").append(customer);
        alerts.forEach(p -> b.append(':').append(p.alert().id()));
        return b.toString();
    }

    /**
     * The batches due at {@code now}: per customer, all its pending alerts once the first of them
     * has waited {@code window}. Customers whose first alert is younger wait; a batch takes every
     * alert queued so far, so an alert that came late in the window still rides along.
     */
    public static List<AlertBatch> due(List<PendingAlert> pending, Instant now, Duration window) {
        Map<String, List<PendingAlert>> byCustomer = new LinkedHashMap<>();
        pending.stream().sorted(Comparator.comparing(PendingAlert::queuedAt))
                .forEach(p -> byCustomer.computeIfAbsent(p.customer(), c -> new ArrayList<>()).add(p));
        List<AlertBatch> out = new ArrayList<>();
        byCustomer.forEach((customer, list) -> {
            Instant first = list.getFirst().queuedAt();
            if (!first.plus(window).isAfter(now)) {
                out.add(new AlertBatch(customer, list));
            }
        });
        return out;
    }
}
