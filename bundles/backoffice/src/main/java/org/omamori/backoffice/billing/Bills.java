package org.omamori.backoffice.billing;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms.Billing;
import org.omamori.api.edition.Terms.Tax;
import org.omamori.backoffice.contract.Contract;

/**
 * What a contract owes for a billing month under its edition's terms (docs/billing.md "Bills"):
 * monthly fees from the month after the start to the end, Vario's initial fee with the first month,
 * Niigata's first payment in the approval month and its renewal fee in January.
 */
public final class Bills {

    private Bills() {
    }

    /** @throws IllegalArgumentException when nothing is billed in that month, saying why */
    public static Bill forMonth(Edition edition, Contract c, YearMonth month) {
        return switch (edition.terms().billing()) {
            case Billing.MonthlyFromNextMonth m -> {
                long fee = c.monthlyFee().isPresent() ? c.monthlyFee().getAsLong() : m.monthlyFee().orElseThrow(
                        () -> new IllegalArgumentException("the contract states no monthly fee (contract create --monthly-fee)"));
                inService(c, month);
                yield new Bill(List.of(new Bill.Line("月額利用料（" + label(month) + "分）", fee, m.tax())), Optional.empty());
            }
            case Billing.PerAppliance p -> {
                YearMonth first = inService(c, month);
                List<Bill.Line> lines = new ArrayList<>();
                if (month.equals(first)) {
                    long initial = c.pcs() > 0 ? p.initialWithEndpoint() : p.initialNetwork();
                    lines.add(new Bill.Line("初期費用（" + (c.pcs() > 0 ? "ネットワーク＆端末" : "ネットワーク") + "） " + c.appliances() + "台 × "
                            + Yen.of(initial), initial * c.appliances(), p.tax()));
                }
                lines.add(new Bill.Line("月額利用料 UTM " + c.appliances() + "台 × " + Yen.of(p.monthlyPerAppliance()) + "（" + label(month) + "分）",
                        p.monthlyPerAppliance() * c.appliances(), p.tax()));
                if (c.pcs() > 0) {
                    lines.add(new Bill.Line("月額利用料 端末 " + c.pcs() + "台 × " + Yen.of(p.monthlyPerPc()) + "（" + label(month) + "分）",
                            p.monthlyPerPc() * c.pcs(), p.tax()));
                }
                yield new Bill(lines, Optional.empty());
            }
            case Billing.AnnualToMarch a -> annual(edition, a, c, month);
        };
    }

    private static Bill annual(Edition edition, Billing.AnnualToMarch a, Contract c, YearMonth month) {
        LocalDate approved = c.approved().orElseThrow(() -> new IllegalArgumentException("the contract is not approved yet"));
        long annual = c.member().orElse(false) ? a.memberFee() : a.nonMemberFee();
        if (month.equals(YearMonth.from(approved))) {
            QuoteRequest r = QuoteRequest.appliedOn(c.applied()).approvedOn(approved).member(c.member().orElse(false));
            Charge first = Quotes.quote(edition, r).charges().getFirst();
            return new Bill(List.of(new Bill.Line(first.item(), listed(first.amount(), a.tax()), a.tax())), first.due());
        }
        Optional<LocalDate> end = c.periodEnd();
        if (end.isPresent() && month.equals(YearMonth.of(end.get().getYear(), 1)) && c.endsOn().isEmpty()) {
            LocalDate from = end.get().plusDays(1);
            return new Bill(List.of(new Bill.Line("更新料（" + label(YearMonth.from(from)) + "〜" + label(YearMonth.from(from.plusYears(1).minusDays(1)))
                    + "）", annual, a.tax())), Optional.of(YearMonth.from(from).minusMonths(2).atDay(a.dueDay())));
        }
        throw new IllegalArgumentException("edition " + edition.id() + " bills the first payment in the approval month ("
                + YearMonth.from(approved) + ") and the renewal in January; nothing in " + month);
    }

    /** The first billed month, after checking {@code month} is in service. */
    private static YearMonth inService(Contract c, YearMonth month) {
        LocalDate start = c.started().orElseThrow(() -> new IllegalArgumentException("the service has not started: nothing is billed yet"));
        YearMonth first = YearMonth.from(start).plusMonths(1);
        if (month.isBefore(first)) {
            throw new IllegalArgumentException("billing starts in " + first + " (the month after the start, " + start + ")");
        }
        if (c.endsOn().isPresent() && month.isAfter(YearMonth.from(c.endsOn().get()))) {
            throw new IllegalArgumentException("the contract ends on " + c.endsOn().get() + ": nothing is billed in " + month);
        }
        return first;
    }

    private static long listed(Charge.Amount a, Tax tax) {
        return tax.included() ? a.gross() : a.net();
    }

    private static String label(YearMonth m) {
        return m.getYear() + "年" + m.getMonthValue() + "月";
    }

}
