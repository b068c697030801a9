package org.omamori.backoffice.contract;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A contract as the back office keeps it: its edition, its state, the dates that made it so, and
 * every step taken (docs/contracts.md). Immutable: each step makes a new one ({@link Lifecycle}).
 *
 * @param edition      the edition whose terms it follows
 * @param state        where it stands
 * @param applied      the application day
 * @param approved     the approval day (the contract is formed)
 * @param plannedStart the start the terms fix from the application (Niigata); empty: the service starts at activation
 * @param started      the service start
 * @param periodEnd    the end of the period in force (yearly terms)
 * @param endsOn       the last day of service once cancelled or terminated
 * @param member       membership of a chamber of commerce on the approval day (where the fee depends on it)
 * @param appliances   appliances contracted
 * @param pcs          protected PCs contracted
 * @param monthlyFee   the monthly fee agreed in this contract, where the terms leave it to each contract (Osaka, Matsumoto)
 * @param history      the steps taken, oldest first
 */
public record Contract(String edition, ContractState state, LocalDate applied, Optional<LocalDate> approved,
                       Optional<LocalDate> plannedStart, Optional<LocalDate> started, Optional<LocalDate> periodEnd,
                       Optional<LocalDate> endsOn, Optional<Boolean> member, int appliances, int pcs, OptionalLong monthlyFee,
                       List<Step> history) {

    /**
     * One step: the state before and after, the day, who acted and what happened (Japanese).
     */
    public record Step(ContractState from, ContractState to, LocalDate on, Actor by, String what) {
        public Step {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(on, "on");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(what, "what");
        }
    }

    public Contract {
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(applied, "applied");
        Objects.requireNonNull(approved, "approved");
        Objects.requireNonNull(plannedStart, "plannedStart");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(endsOn, "endsOn");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(monthlyFee, "monthlyFee");
        if (appliances < 1 || pcs < 0) {
            throw new IllegalArgumentException("a contract has 1 or more appliances and 0 or more PCs");
        }
        history = List.copyOf(history);
    }

    /** The step's new contract: {@code to}, with the step appended. */
    Contract step(ContractState to, LocalDate on, Actor by, String what) {
        List<Step> h = new ArrayList<>(history);
        h.add(new Step(state, to, on, by, what));
        return new Contract(edition, to, applied, approved, plannedStart, started, periodEnd, endsOn, member, appliances, pcs, monthlyFee, h);
    }

    Contract withApproved(LocalDate day, Optional<LocalDate> start) {
        return new Contract(edition, state, applied, Optional.of(day), start, started, periodEnd, endsOn, member, appliances, pcs, monthlyFee, history);
    }

    Contract withStarted(LocalDate day, Optional<LocalDate> end) {
        return new Contract(edition, state, applied, approved, plannedStart, Optional.of(day), end, endsOn, member, appliances, pcs, monthlyFee, history);
    }

    Contract withPeriodEnd(LocalDate day) {
        return new Contract(edition, state, applied, approved, plannedStart, started, Optional.of(day), endsOn, member, appliances, pcs, monthlyFee, history);
    }

    Contract withEndsOn(LocalDate day) {
        return new Contract(edition, state, applied, approved, plannedStart, started, periodEnd, Optional.of(day), member, appliances, pcs, monthlyFee, history);
    }
}
