package org.omamori.backoffice.insurance;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.backoffice.billing.Yen;

/**
 * The claim flow ①–⑨ of seed 000 別紙2 under an edition's insurance (docs/insurance.md "Claims"):
 * ① only from a ★★★ alert mail, or a ★★☆ one raised to ★★★-equivalent with the full scan's result;
 * ② the customer asks the desk; ③ the desk asks for a full scan and records its result; ④ gives the
 * vendor list; ⑤ the customer schedules a vendor; ⑥ the dispatch, checked by {@link InsuranceCheck}
 * (the insurance year, the 30 days, the limits, the renewal rule) — a dispatch not covered refuses
 * the claim with the reasons; ⑦ the vendor's report and invoice; ⑧ the claim to the insurer;
 * ⑨ the payment, at most what the year's limit allows, the rest shown as the customer's own.
 */
public final class ClaimFlow {

    private final Edition edition;

    public ClaimFlow(Edition edition) {
        this.edition = Objects.requireNonNull(edition, "edition");
    }

    /**
     * ①② The customer asks the desk about an incident after an alert mail.
     *
     * @param starsThree true for a ★★★ alert; false for a ★★☆ alert raised by mail to ★★★-equivalent, which
     *                   needs the full scan's result at once
     */
    public Claim request(ZonedDateTime alertMail, boolean starsThree, Optional<String> scanResult, ZonedDateTime at) {
        if (!starsThree && scanResult.isEmpty()) {
            throw new ContractRuleException("claim-grade", "a claim on an alert below ★★★ carries the full scan's result (000 §4.5)");
        }
        Claim c = new Claim(Claim.State.REQUESTED, alertMail, !starsThree, scanResult, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), java.util.List.of());
        return c.to(Claim.State.REQUESTED, at, Actor.CUSTOMER, starsThree ? "★★★アラートによる相談" : "★★☆アラートを★★★相当に引き上げた相談（スキャン結果あり）");
    }

    /** ③ The desk asks the customer for a full virus scan (a raised claim has its result already). */
    public Claim askScan(Claim c, ZonedDateTime at) {
        require(c, Claim.State.REQUESTED);
        if (c.raised()) {
            return c.to(Claim.State.SCANNED, at, Actor.RESELLER, "フルスキャン結果は相談時に受領済み");
        }
        return c.to(Claim.State.SCAN_ASKED, at, Actor.RESELLER, "フルスキャンの実施を依頼");
    }

    /** ③ The scan's result. */
    public Claim scanned(Claim c, String result, ZonedDateTime at) {
        require(c, Claim.State.SCAN_ASKED);
        return c.with(Optional.of(result), c.vendor(), c.dispatch(), c.invoiced(), c.paid())
                .to(Claim.State.SCANNED, at, Actor.CUSTOMER, "フルスキャン結果: " + result);
    }

    /** ④ The desk gives the vendors for the customer's region. */
    public Claim listVendors(Claim c, String region, ZonedDateTime at) {
        require(c, Claim.State.SCANNED);
        return c.to(Claim.State.VENDORS_LISTED, at, Actor.RESELLER, region + " の駆け付け業者を案内");
    }

    /** ⑤ The customer chose and scheduled a vendor for a day. */
    public Claim schedule(Claim c, String vendor, LocalDate day, ZonedDateTime at) {
        require(c, Claim.State.VENDORS_LISTED);
        return c.with(c.scanResult(), Optional.of(vendor), Optional.of(day), c.invoiced(), c.paid())
                .to(Claim.State.SCHEDULED, at, Actor.CUSTOMER, vendor + " に " + day + " の駆け付けを依頼");
    }

    /**
     * ⑥ The vendor worked on site on {@code day}: covered, or the claim is refused with the reasons.
     * Counts no dispatch before it in the insurance year: a stored claim uses
     * {@link #dispatched(Claim, LocalDate, LocalDate, long, int, Optional, ZonedDateTime)}.
     *
     * @param paidThisYear what the insurance paid in that insurance year before
     */
    public Claim dispatched(Claim c, LocalDate day, LocalDate serviceStart, long paidThisYear, Optional<LocalDate> renewedOn,
                            ZonedDateTime at) {
        return dispatched(c, day, serviceStart, paidThisYear, 0, renewedOn, at);
    }

    /**
     * ⑥ The vendor worked on site on {@code day}: covered, or the claim is refused with the reasons.
     *
     * @param paidThisYear       what the insurance paid (or holds for dispatches not yet paid) in that insurance year before
     * @param dispatchesThisYear the dispatches the insurance covered in that insurance year before
     *                           (the edition's {@code dispatchesPerYear} caps them)
     */
    public Claim dispatched(Claim c, LocalDate day, LocalDate serviceStart, long paidThisYear, int dispatchesThisYear,
                            Optional<LocalDate> renewedOn, ZonedDateTime at) {
        require(c, Claim.State.SCHEDULED);
        InsuranceCheck.Result r = InsuranceCheck.check(edition, serviceStart, c.alertMail(), day, paidThisYear, dispatchesThisYear,
                renewedOn);
        Claim done = c.with(c.scanResult(), c.vendor(), Optional.of(day), c.invoiced(), c.paid());
        if (!r.eligible()) {
            return done.to(Claim.State.REFUSED, at, Actor.RESELLER, "対象外: " + String.join("、", r.reasonsJa()));
        }
        return done.with(c.scanResult(), c.vendor(), Optional.of(day), c.invoiced(), Optional.of(r.upTo()))
                .to(Claim.State.DISPATCHED, at, Actor.OPERATOR, day + " 駆け付け対応（今回の上限 " + Yen.of(r.upTo()) + "）");
    }

    /** ⑦ The vendor's report and invoice reached the desk. */
    public Claim reported(Claim c, long invoiced, ZonedDateTime at) {
        require(c, Claim.State.DISPATCHED);
        if (invoiced <= 0) {
            throw new IllegalArgumentException("an invoice is a positive amount: " + invoiced);
        }
        long cap = c.paid().orElse(0L);
        long insurer = Math.min(invoiced, cap);
        return c.with(c.scanResult(), c.vendor(), c.dispatch(), Optional.of(invoiced), Optional.of(insurer))
                .to(Claim.State.REPORTED, at, Actor.OPERATOR, "報告書・請求書 " + Yen.of(invoiced) + "（保険 " + Yen.of(insurer)
                        + (invoiced > insurer ? "、お客様のご負担 " + Yen.of(invoiced - insurer) : "") + "）");
    }

    /** ⑧ The desk claims from the insurer. */
    public Claim claim(Claim c, ZonedDateTime at) {
        require(c, Claim.State.REPORTED);
        return c.to(Claim.State.CLAIMED, at, Actor.RESELLER, "保険会社へ " + Yen.of(c.paid().orElse(0L)) + " を請求");
    }

    /** ⑨ The insurer paid the vendor. */
    public Claim paid(Claim c, ZonedDateTime at) {
        require(c, Claim.State.CLAIMED);
        return c.to(Claim.State.PAID, at, Actor.OPERATOR, "保険会社から業者へ " + Yen.of(c.paid().orElse(0L)) + " 支払");
    }

    /** What the customer pays itself: the invoice above the insurance's payment. */
    public static long customersOwn(Claim c) {
        return Math.max(0, c.invoiced().orElse(0L) - c.paid().orElse(0L));
    }

    private static void require(Claim c, Claim.State state) {
        if (c.state() != state) {
            throw new ContractRuleException("state", "the claim is " + c.state() + " (" + c.state().ja() + "); this step needs " + state);
        }
    }

}
