package org.omamori.backoffice.insurance;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.omamori.backoffice.contract.Actor;

/**
 * An insurance claim on its way through the flow ①–⑨ of seed 000 別紙2 (docs/insurance.md "Claims"),
 * immutable: each step of {@link ClaimFlow} makes the next one.
 *
 * @param state        where it stands
 * @param alertMail    when the ★★★ (or raised ★★☆) alert mail arrived
 * @param raised       true when a ★★☆ alert was raised to ★★★-equivalent (the full-scan result then comes with it)
 * @param scanResult   the full scan's result, once reported
 * @param vendor       the dispatch vendor the customer chose
 * @param dispatch     the day of the on-site dispatch
 * @param invoiced     what the vendor invoiced, tax included
 * @param paid         what the insurer pays (at most the limit); the rest is the customer's own
 * @param steps        every step, oldest first
 */
public record Claim(State state, ZonedDateTime alertMail, boolean raised, Optional<String> scanResult, Optional<String> vendor,
                    Optional<LocalDate> dispatch, Optional<Long> invoiced, Optional<Long> paid, List<Step> steps) {

    /** The flow's states: ② to ⑨, and refused. */
    public enum State {
        /** ② the customer asked the desk. */
        REQUESTED("② 相談受付"),
        /** ③ the desk asked for a full virus scan. */
        SCAN_ASKED("③ フルスキャン依頼"),
        /** ③ the scan's result is in. */
        SCANNED("③ フルスキャン結果受領"),
        /** ④ the desk gave the vendor list for the customer's region. */
        VENDORS_LISTED("④ 駆け付け業者の案内"),
        /** ⑤ the customer scheduled a vendor. */
        SCHEDULED("⑤ 業者手配済み"),
        /** ⑥ the vendor worked on site. */
        DISPATCHED("⑥ 駆け付け対応済み"),
        /** ⑦ the vendor's report and invoice reached the desk. */
        REPORTED("⑦ 報告書・請求書受領"),
        /** ⑧ the desk claimed from the insurer. */
        CLAIMED("⑧ 保険会社へ請求"),
        /** ⑨ the insurer paid the vendor. */
        PAID("⑨ 保険金支払済み"),
        /** Not covered; the reason is the last step's. */
        REFUSED("対象外");

        private final String ja;

        State(String ja) {
            this.ja = ja;
        }

        public String ja() {
            return ja;
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

    public Claim {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(alertMail, "alertMail");
        Objects.requireNonNull(scanResult, "scanResult");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(dispatch, "dispatch");
        Objects.requireNonNull(invoiced, "invoiced");
        Objects.requireNonNull(paid, "paid");
        steps = List.copyOf(steps);
    }

    Claim to(State next, ZonedDateTime at, Actor by, String what) {
        List<Step> s = new ArrayList<>(steps);
        s.add(new Step(next, at, by, what));
        return new Claim(next, alertMail, raised, scanResult, vendor, dispatch, invoiced, paid, s);
    }

    Claim with(Optional<String> scan, Optional<String> chosen, Optional<LocalDate> day, Optional<Long> invoice, Optional<Long> insurer) {
        return new Claim(state, alertMail, raised, scan, chosen, day, invoice, insurer, steps);
    }
}
