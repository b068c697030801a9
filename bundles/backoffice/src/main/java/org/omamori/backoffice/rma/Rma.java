package org.omamori.backoffice.rma;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.backoffice.contract.Actor;

/**
 * A faulty appliance's return and replacement (RMA) on its way through {@link RmaFlow}, immutable:
 * each step makes the next one (docs/rma.md).
 *
 * @param state              where it stands
 * @param faulty             the appliance reported faulty (12 lower-case hex digits)
 * @param finding            the desk's finding from the appliance's last heartbeats and health, once checked
 * @param shipBy             the last day (JST) the replacement ships by, when the edition promises one
 * @param replacement        the replacement appliance, once shipped
 * @param returnBy           the last day (JST) the faulty unit is to be back, when the edition sets one
 * @param operatorPaysReturn true when the operator pays the return's carriage (着払い), as noted at the swap
 * @param steps              every step, oldest first
 */
public record Rma(State state, String faulty, Optional<String> finding, Optional<LocalDate> shipBy, Optional<String> replacement,
                  Optional<LocalDate> returnBy, boolean operatorPaysReturn, List<Step> steps) {

    /** Japan time: deadlines are days of the desk's calendar. */
    public static final ZoneId JST = ZoneId.of("Asia/Tokyo");

    /** The RMA's states. */
    public enum State {
        /** A fault was reported (usually a FAULT ticket). */
        REPORTED("故障受付"),
        /** The desk checked the appliance and found it faulty: a replacement is to ship. */
        CONFIRMED("故障確認・代替機手配"),
        /** The desk checked the appliance and found no fault: closed with the reason. */
        CLOSED("故障なし・対応終了"),
        /** The replacement was shipped. */
        SHIPPED("代替機発送"),
        /** The customer swapped the units: the replacement took over, the faulty unit's credentials were revoked. */
        SWAPPED("交換完了・故障機返却待ち"),
        /** The faulty unit came back. */
        RETURNED("故障機返却受領"),
        /** The faulty unit's data was erased: the RMA is done. */
        ERASED("故障機データ消去済み");

        private final String ja;

        State(String ja) {
            this.ja = ja;
        }

        public String ja() {
            return ja;
        }

        /** True when no step follows. */
        public boolean done() {
            return this == CLOSED || this == ERASED;
        }
    }

    /** One step: the new state, when, who, what (Japanese). */
    public record Step(State to, ZonedDateTime at, Actor by, String what) {
        public Step {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(what, "what");
        }
    }

    public Rma {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(faulty, "faulty");
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(shipBy, "shipBy");
        Objects.requireNonNull(replacement, "replacement");
        Objects.requireNonNull(returnBy, "returnBy");
        steps = List.copyOf(steps);
    }

    /** When the fault was reported: the first step's time. */
    public ZonedDateTime reported() {
        return steps.getFirst().at();
    }

    /** The step that reached {@code s}, if any. */
    public Optional<Step> step(State s) {
        return steps.stream().filter(x -> x.to() == s).findFirst();
    }

    /** True when the replacement shipped after its ship-by day. */
    public boolean shippedLate() {
        return late(step(State.SHIPPED), shipBy);
    }

    /** True when the faulty unit came back after its return-by day. */
    public boolean returnedLate() {
        return late(step(State.RETURNED), returnBy);
    }

    /**
     * True when a deadline passed on {@code today} (JST) with its step still not taken: the replacement
     * not shipped after its ship-by day, or the faulty unit not back after its return-by day.
     */
    public boolean overdue(LocalDate today) {
        return switch (state) {
            case CONFIRMED -> shipBy.filter(today::isAfter).isPresent();
            case SWAPPED -> returnBy.filter(today::isAfter).isPresent();
            default -> false;
        };
    }

    private static boolean late(Optional<Step> done, Optional<LocalDate> by) {
        return done.isPresent() && by.isPresent() && day(done.get().at()).isAfter(by.get());
    }

    static LocalDate day(ZonedDateTime t) {
        return t.withZoneSameInstant(JST).toLocalDate();
    }

    Rma to(State next, ZonedDateTime at, Actor by, String what) {
        List<Step> s = new ArrayList<>(steps);
        s.add(new Step(next, at, by, what));
        return new Rma(next, faulty, finding, shipBy, replacement, returnBy, operatorPaysReturn, s);
    }

    Rma with(Optional<String> finding, Optional<LocalDate> shipBy, Optional<String> replacement, Optional<LocalDate> returnBy,
             boolean operatorPaysReturn) {
        return new Rma(state, faulty, finding, shipBy, replacement, returnBy, operatorPaysReturn, steps);
    }
}
