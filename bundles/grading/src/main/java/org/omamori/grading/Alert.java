package org.omamori.grading;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.events.EventId;

/**
 * An important alert: one finding at one host, graded, with its repeats folded in.
 *
 * @param id           made from the rule and the first event ({@link AlertId#of})
 * @param rule         the star-table rule that graded it
 * @param grade        its grade
 * @param accumulated  true when a count rule graded it (several events together)
 * @param host         the customer's host
 * @param facts        the facts of the event that opened it (for the mail and for re-evaluation)
 * @param first        time of the first event
 * @param last         time of the latest event
 * @param count        how many occurrences it stands for (an event's count each, usually 1)
 * @param events       the events that made it, oldest first; at most {@link #MAX_EVENTS} ({@code count} goes on)
 * @param suppressedBy the suppression in force when it was opened; such an alert is never mailed
 */
public record Alert(AlertId id, String rule, Grade grade, boolean accumulated, InternalHost host, Facts facts,
                    Instant first, Instant last, long count, List<EventId> events, Optional<String> suppressedBy) {

    /** The most event ids an alert lists; a beacon every minute should not grow a row without end. */
    public static final int MAX_EVENTS = 100;

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(grade, "grade");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        Objects.requireNonNull(suppressedBy, "suppressedBy");
        events = List.copyOf(events);
        if (count < events.size() || count < 1) {
            throw new IllegalArgumentException("count " + count + " is less than the events listed: " + events.size());
        }
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("last " + last + " before first " + first);
        }
    }

    /**
     * This alert with one more event, which stands for {@code occurrences} from {@code time} to
     * {@code until} (an appliance may fold repeats into one event: decision 0028).
     */
    Alert repeated(EventId event, Instant time, Instant until, long occurrences) {
        List<EventId> ids = events;
        if (ids.size() < MAX_EVENTS && !ids.contains(event)) {
            ids = new ArrayList<>(ids);
            ids.add(event);
        }
        return new Alert(id, rule, grade, accumulated, host, facts, time.isBefore(first) ? time : first,
                until.isAfter(last) ? until : last, count + occurrences, ids, suppressedBy);
    }

    /** This alert graded again (after an investigation). */
    public Alert withGrade(Grade newGrade) {
        return new Alert(id, rule, newGrade, accumulated, host, facts, first, last, count, events, suppressedBy);
    }

    public boolean suppressed() {
        return suppressedBy.isPresent();
    }

    /** Whether it waits for the cloud's re-evaluation ({@link Reevaluation}). */
    public boolean underInvestigation() {
        return grade == Grade.UNDER_INVESTIGATION;
    }
}
