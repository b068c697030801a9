package org.omamori.store;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import org.omamori.api.engine.SecurityFunction;

/**
 * A customer's detections per security function against the participants' average
 * ({@link Statistics#compareWithPeers}). Participants are the customers with at least one appliance
 * registered before the period's end, the customer itself included if it has one; the average of a
 * function is all participants' threat events of it divided by {@code participants}. No other
 * customer is named.
 *
 * @param participants how many customers take part, also when too few for an average
 * @param functions    by function id: every function the customer had detections of, and, when an
 *                     average is given, every function any participant had
 */
public record FunctionComparison(CustomerId customer, Instant from, Instant to, int participants,
                                 List<FunctionCount> functions) {

    public FunctionComparison {
        functions = List.copyOf(functions);
    }

    /**
     * One function.
     *
     * @param own     the customer's threat events of it
     * @param average per participant; empty when fewer than {@link Statistics#MIN_PEERS} take part
     */
    public record FunctionCount(SecurityFunction function, long own, OptionalDouble average) {
    }

    /** Whether enough customers take part for averages ("not enough customers" otherwise). */
    public boolean averageAvailable() {
        return participants >= Statistics.MIN_PEERS;
    }
}
