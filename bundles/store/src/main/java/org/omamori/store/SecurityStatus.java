package org.omamori.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.Result;
import org.omamori.grading.Grade;

/**
 * A customer's security over a period, as the dashboard shows it ({@link Statistics#status}).
 *
 * @param threats          threat events of the period by security function and result, most first
 * @param alerts           important alerts raised in the period (first time in it), not suppressed, by
 *                         grade ({@link Grade#NONE} never appears; a grade without alerts is absent)
 * @param suppressedAlerts important alerts raised in the period that a suppression silenced
 * @param appliances       the customer's appliances judged now ({@link Fleet#STOPPED_AFTER})
 * @param days             every Japanese day the period touches, oldest first, zeros included
 */
public record SecurityStatus(CustomerId customer, Instant from, Instant to, List<ThreatCount> threats,
                             Map<Grade, Long> alerts, long suppressedAlerts, Appliances appliances, List<Day> days) {

    public SecurityStatus {
        threats = List.copyOf(threats);
        alerts = Map.copyOf(alerts);
        days = List.copyOf(days);
    }

    /** Threat events of one security function with one result. */
    public record ThreatCount(SecurityFunction function, Result result, long count) {
    }

    /** How many of the customer's appliances are online, stopped, or never heard from. */
    public record Appliances(int online, int stopped, int neverSeen) {
        public int total() {
            return online + stopped + neverSeen;
        }
    }

    /** One Japanese day: its threat events and its important alerts (raised that day, not suppressed). */
    public record Day(LocalDate day, long threats, long alerts) {
    }

    /** All threat events of the period. */
    public long threatTotal() {
        return threats.stream().mapToLong(ThreatCount::count).sum();
    }

    /** All important alerts of the period, not suppressed. */
    public long importantAlerts() {
        return alerts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * "ご利用の環境で問題がみつかりました": an important alert (not suppressed) was raised in the period,
     * or an appliance is stopped now.
     */
    public boolean problemFound() {
        return importantAlerts() > 0 || appliances.stopped() > 0;
    }
}
