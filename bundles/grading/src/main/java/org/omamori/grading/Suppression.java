package org.omamori.grading;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.MacAddress;
import org.omamori.events.IpLiteral;

/**
 * An operator's or customer's decision not to be alerted about a rule, for one host or the whole
 * customer, for a while. Suppressed findings are still graded, counted and kept; they are never
 * mailed ({@link AlertChange#mails()}).
 *
 * @param id     the suppression's id, as the store keeps it
 * @param rule   a star-table rule id ({@code phishing-blocked}) or an engine rule
 *               ({@code sid:9000015}, {@code category:malware}, {@code clamav:Eicar-Signature})
 * @param host   an address or MAC of the customer's host; empty for the whole customer
 * @param reason why, as the person wrote it
 * @param by     who decided (an operator's or customer administrator's login)
 * @param from   when it starts
 * @param until  when it ends; every suppression ends
 */
public record Suppression(String id, String rule, Optional<String> host, String reason, String by, Instant from,
                          Instant until) {

    public Suppression {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
        if (rule.isBlank()) {
            throw new IllegalArgumentException("a suppression names the rule it suppresses");
        }
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a suppression says why: the reason is empty");
        }
        if (!until.isAfter(from)) {
            throw new IllegalArgumentException("a suppression must end after it starts: " + from + " .. " + until);
        }
        host = host.map(Suppression::normalHost);
    }

    /** An address literal or a MAC, as {@link InternalHost} writes them. */
    private static String normalHost(String text) {
        String t = text.strip();
        if (t.matches("(?i)[0-9a-f]{2}([:-][0-9a-f]{2}){5}")) {
            return MacAddress.parse(t).toString();
        }
        return IpLiteral.parse(t).getHostAddress();
    }

    /** Whether it is in force at {@code time}: from inclusive, until exclusive. */
    public boolean activeAt(Instant time) {
        return !time.isBefore(from) && time.isBefore(until);
    }

    /** Whether it silences this finding: the table rule or the engine rule, at this host, at that time. */
    public boolean covers(String tableRule, String engineRule, InternalHost at, Instant time) {
        return activeAt(time) && (rule.equals(tableRule) || rule.equalsIgnoreCase(engineRule))
                && host.map(at::isNamedBy).orElse(true);
    }
}
