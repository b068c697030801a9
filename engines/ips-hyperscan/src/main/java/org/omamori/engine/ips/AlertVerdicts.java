package org.omamori.engine.ips;

import java.util.Arrays;
import java.util.List;

import org.omamori.api.engine.Verdict;

/**
 * The alerts of one inspection in the order their rules fired, and the verdict they make: exactly
 * {@link Verdict#of(List)}'s (the first that outranks the others decides, the rest with a finding
 * are its further verdicts in order), made without its working lists. {@code Verdict.of} copies
 * the alerts into a list it then copies again; on a page with a few alerts that was a quarter of
 * what the engine allocated per exchange besides its buffers (bench/README.md, helper ipsdense).
 */
final class AlertVerdicts {

    private Verdict[] alerts; // made at the first alert: most exchanges have none
    private int count;

    void add(Verdict alert) {
        if (alerts == null) {
            alerts = new Verdict[4];
        } else if (count == alerts.length) {
            alerts = Arrays.copyOf(alerts, count * 2);
        }
        alerts[count++] = alert;
    }

    int size() {
        return count;
    }

    /** {@code Verdict.of} of the alerts so far (clean with none). */
    Verdict verdict() {
        Verdict top = null;
        for (int i = 0; i < count; i++) {
            if (top == null || alerts[i].outranks(top)) {
                top = alerts[i];
            }
        }
        if (top == null) {
            return Verdict.clean();
        }
        Verdict[] rest = new Verdict[count - 1];
        int n = 0;
        for (int i = 0; i < count; i++) {
            Verdict v = alerts[i];
            if (v != top && v.finding().isPresent()) {
                rest[n++] = v.further().isEmpty() ? v : new Verdict(v.action(), v.finding(), v.note());
            }
        }
        if (n == 0 && top.further().isEmpty()) {
            return top;
        }
        // an unmodifiable list the record's List.copyOf keeps as it is: no copy of a copy
        List<Verdict> further = n == rest.length ? List.of(rest) : List.of(Arrays.copyOf(rest, n));
        return new Verdict(top.action(), top.finding(), top.note(), further);
    }
}
