package org.omamori.backoffice.rma;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Support;
import org.omamori.backoffice.calendar.BusinessCalendar;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.contract.ContractRuleException;

/**
 * An RMA's steps under an edition's support terms (seed 000 §8.3, seed 004 別紙1 §6; docs/rma.md):
 * a fault is reported; the desk checks the appliance from its last heartbeats and health — faulty, the
 * replacement is to ship within the edition's business days after the confirmation (Vario: the next
 * business day; the national standard promises no day), not faulty, the RMA closes with the reason;
 * the replacement ships (late shipping noted); the customer swaps the units (the faulty unit is to come
 * back within the edition's business days after the swap, Vario 5, carriage paid by the operator where
 * the edition says so); the faulty unit comes back (late return noted); its data is erased. Business
 * days are the edition's desk calendar ({@link BusinessCalendar}).
 */
public final class RmaFlow {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");

    private final Support support;
    private final BusinessCalendar calendar;

    public RmaFlow(Edition edition) {
        Objects.requireNonNull(edition, "edition");
        this.support = edition.support();
        this.calendar = BusinessCalendar.of(edition.terms().desk());
    }

    /**
     * A fault of appliance {@code faulty} was reported.
     *
     * @param via how it came, e.g. {@code 故障チケット 12} or {@code 電話}
     */
    public Rma report(String faulty, ZonedDateTime at, Actor by, String via) {
        Objects.requireNonNull(via, "via");
        Rma r = new Rma(Rma.State.REPORTED, id("faulty appliance", faulty), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false, List.of());
        return r.to(Rma.State.REPORTED, at, by, "故障の申告を受付（" + via + "）");
    }

    /**
     * The desk checked the appliance from its last heartbeats and health.
     *
     * @param faulty  true when it is faulty: CONFIRMED with the replacement's ship-by day; false: CLOSED with the finding as reason
     * @param finding what the desk saw (Japanese), e.g. {@code 2026-04-23 03:10 以降ハートビートなし、電源LED消灯}
     */
    public Rma check(Rma r, boolean faulty, String finding, ZonedDateTime at, Actor by) {
        require(r, Rma.State.REPORTED);
        if (finding == null || finding.isBlank()) {
            throw new ContractRuleException("rma-finding", "a check records the desk's finding");
        }
        String f = finding.strip();
        if (!faulty) {
            return r.with(Optional.of(f), Optional.empty(), Optional.empty(), Optional.empty(), false)
                    .to(Rma.State.CLOSED, at, by, "故障は確認されませんでした（" + f + "）。交換は行わず対応を終了");
        }
        Optional<LocalDate> shipBy = after(Rma.day(at), support.replacementShipBusinessDays());
        return r.with(Optional.of(f), shipBy, Optional.empty(), Optional.empty(), false)
                .to(Rma.State.CONFIRMED, at, by, "故障を確認（" + f + "）。代替機を"
                        + shipBy.map(d -> " " + d + " までに発送").orElse("準備でき次第発送"));
    }

    /** The replacement {@code replacement} was shipped; after the ship-by day it is noted as late. */
    public Rma ship(Rma r, String replacement, ZonedDateTime at, Actor by) {
        require(r, Rma.State.CONFIRMED);
        String id = id("replacement", replacement);
        if (id.equals(r.faulty())) {
            throw new ContractRuleException("rma-replacement", "the replacement is another appliance than the faulty " + r.faulty());
        }
        LocalDate day = Rma.day(at);
        String late = r.shipBy().filter(day::isAfter).map(d -> "（発送期限 " + d + " を過ぎての発送）").orElse("");
        return r.with(r.finding(), r.shipBy(), Optional.of(id), r.returnBy(), false)
                .to(Rma.State.SHIPPED, at, by, "代替機 " + id + " を発送" + late);
    }

    /**
     * The customer swapped the units: the replacement takes over the faulty unit's settings and history,
     * the faulty unit's credentials are revoked (the store does both), and the faulty unit is to come
     * back by the edition's return day.
     */
    public Rma swapped(Rma r, ZonedDateTime at, Actor by) {
        require(r, Rma.State.SHIPPED);
        Optional<LocalDate> returnBy = after(Rma.day(at), support.returnBusinessDays());
        boolean paid = support.operatorPaysReturn();
        String replacement = r.replacement().orElseThrow();
        return r.with(r.finding(), r.shipBy(), r.replacement(), returnBy, paid)
                .to(Rma.State.SWAPPED, at, by, "代替機 " + replacement + " に交換し、設定と履歴を引き継ぎ。故障機 " + r.faulty()
                        + " の認証情報を失効。故障機は" + returnBy.map(d -> " " + d + " までに").orElse("") + "ご返送ください"
                        + (paid ? "（送料は当社負担・着払い）" : "（送料はお客様負担）"));
    }

    /** The faulty unit came back; after the return-by day it is noted as late. */
    public Rma returned(Rma r, ZonedDateTime at, Actor by) {
        require(r, Rma.State.SWAPPED);
        LocalDate day = Rma.day(at);
        String late = r.returnBy().filter(day::isAfter).map(d -> "（返却期限 " + d + " を過ぎての返却）").orElse("");
        return r.to(Rma.State.RETURNED, at, by, "故障機 " + r.faulty() + " の返却を受領" + late);
    }

    /** The faulty unit's data was erased. */
    public Rma erased(Rma r, ZonedDateTime at, Actor by) {
        require(r, Rma.State.RETURNED);
        return r.to(Rma.State.ERASED, at, by, "故障機 " + r.faulty() + " のデータを消去");
    }

    /** The {@code n}-th business day after {@code day} (day 1 is the first business day after it); empty without {@code n}. */
    Optional<LocalDate> after(LocalDate day, OptionalInt n) {
        if (n.isEmpty()) {
            return Optional.empty();
        }
        LocalDate d = day;
        for (int i = 0; i < n.getAsInt(); i++) {
            d = calendar.onOrAfter(d.plusDays(1));
        }
        return Optional.of(d);
    }

    private static String id(String what, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the " + what + " is 12 lower-case hex digits, not " + id);
        }
        return id;
    }

    private static void require(Rma r, Rma.State state) {
        if (r.state() != state) {
            throw new ContractRuleException("state", "the RMA is " + r.state() + " (" + r.state().ja() + "); this step needs " + state);
        }
    }
}
