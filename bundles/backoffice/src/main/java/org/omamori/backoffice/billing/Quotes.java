package org.omamori.backoffice.billing;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms.Billing;
import org.omamori.api.edition.Terms.Tax;
import org.omamori.backoffice.calendar.BusinessCalendar;

/**
 * What an edition's billing terms ({@link Billing}, data the edition supplies) make of a request
 * (docs/billing.md): one method per shape the edition API knows.
 */
public final class Quotes {

    private Quotes() {
    }

    /**
     * The quote for the request under the edition's terms, on its desk's business calendar; bad or
     * missing input is an IllegalArgumentException that says what to give.
     */
    public static Quote quote(Edition edition, QuoteRequest request) {
        BusinessCalendar calendar = BusinessCalendar.of(edition.terms().desk());
        return switch (edition.terms().billing()) {
            case Billing.MonthlyFromNextMonth m -> monthly(m, edition.id(), request);
            case Billing.AnnualToMarch a -> annual(a, edition.id(), request, calendar);
            case Billing.PerAppliance p -> perAppliance(p, edition.id(), request);
        };
    }

    /**
     * A monthly fee billed from the 1st of the month after the contract starts, no proration, a
     * cancellation running to the end of its month (Osaka 000 §7.5, §7.8; Matsumoto 001 §7.8); a
     * request must give the fee when the terms leave it to each contract.
     */
    private static Quote monthly(Billing.MonthlyFromNextMonth terms, String edition, QuoteRequest r) {
        Tax tax = terms.tax();
        LocalDate start = r.start().orElse(r.approved().orElse(r.applied()));
        LocalDate billingFrom = start.withDayOfMonth(1).plusMonths(1);
        long fee = r.monthlyFee().isPresent() ? r.monthlyFee().getAsLong()
                : terms.monthlyFee().orElseThrow(() -> new IllegalArgumentException(
                        "edition " + edition + " leaves the monthly fee to the reseller's terms: give it (--monthly-fee)"));
        List<Charge> charges = List.of(new Charge("月額利用料（" + month(billingFrom) + "分）", Charge.Amount.listed(tax, fee), Optional.empty(),
                "契約開始日の翌月1日から毎月課金、日割りなし"));
        return new Quote(edition, start, billingFrom, Optional.empty(), Optional.empty(), charges,
                List.of("契約開始日 " + start + "（開始月は課金なし）",
                        "解約はその月の末日まで利用でき、その月も1か月分を請求（日割りなし）",
                        "理由の如何を問わず返金なし"));
    }

    /**
     * An annual fee for a period ending 31 March (Niigata 002 第4条2, 第13条); the start's month is
     * free (無償期間); a renewal is due on the due day two months before April.
     */
    private static Quote annual(Billing.AnnualToMarch terms, String edition, QuoteRequest r, BusinessCalendar calendar) {
        Tax tax = terms.tax();
        long memberFee = terms.memberFee();
        long nonMemberFee = terms.nonMemberFee();
        int applyBy = terms.applyBy();
        int nthBusinessDay = terms.nthBusinessDay();
        int dueDay = terms.dueDay();
        int lateApproval = terms.lateApproval();
        boolean member = r.member().orElseThrow(() -> new IllegalArgumentException(
                "edition " + edition + " charges members and non-members differently: say which (--member or --non-member)"));
        long annual = member ? memberFee : nonMemberFee;
        YearMonth applied = YearMonth.from(r.applied());
        YearMonth startMonth = r.applied().getDayOfMonth() <= applyBy ? applied.plusMonths(1) : applied.plusMonths(2);
        LocalDate start = calendar.nthBusinessDay(startMonth, nthBusinessDay);
        LocalDate periodEnd = LocalDate.of(start.getMonthValue() <= 3 ? start.getYear() : start.getYear() + 1, 3, 31);
        LocalDate freeUntil = startMonth.atEndOfMonth();
        LocalDate billingFrom = freeUntil.plusDays(1);
        int months = (int) java.time.temporal.ChronoUnit.MONTHS.between(YearMonth.from(billingFrom), YearMonth.from(periodEnd)) + 1;
        if (billingFrom.isAfter(periodEnd)) {
            months = 0;
        }
        if ((annual * months) % 12 != 0) {
            throw new IllegalArgumentException("the annual fee " + annual + " × " + months + " months is not whole yen after / 12");
        }
        long first = annual * months / 12;
        LocalDate approved = r.approved().orElse(r.applied());
        YearMonth dueMonth = approved.getDayOfMonth() >= lateApproval ? YearMonth.from(approved).plusMonths(1) : YearMonth.from(approved);
        LocalDate due = dueMonth.atDay(dueDay);
        List<Charge> charges = new ArrayList<>();
        charges.add(new Charge("初回利用料（" + month(billingFrom) + "〜" + month(periodEnd) + "、" + months + "か月）",
                Charge.Amount.listed(tax, first), Optional.of(due),
                "年間" + Yen.of(annual) + "（" + (member ? "会員" : "非会員") + "、承認日 " + approved + " 時点）÷ 12 × " + months
                        + "か月、無償期間を除く" + (r.approved().isEmpty() ? "。承認日は申込日と仮定" : "")));
        List<String> notes = new ArrayList<>();
        notes.add("利用開始日 " + start + "（申込日 " + r.applied() + " が" + applyBy + "日" + (r.applied().getDayOfMonth() <= applyBy ? "以前" : "より後")
                + " → " + month(start) + "の第" + nthBusinessDay + "営業日）");
        notes.add("無償期間 " + start + "〜" + freeUntil + "（準備期間、保険の対象外）");
        notes.add("初回の利用期間の終わり " + periodEnd);
        LocalDate nonRenewal = calendar.onOrBefore(periodEnd.minusMonths(2));
        notes.add("更新しない場合の申出期限 " + nonRenewal + "（満了日の2か月前、営業日でなければ直前の営業日）");
        notes.add("更新料 " + Yen.of(annual) + "（" + (periodEnd.getYear()) + "年4月からの1年分）の支払期日 "
                + YearMonth.from(periodEnd).minusMonths(1).atDay(dueDay)); // the 25th two months before April
        LocalDate refundBy = calendar.onOrBefore(YearMonth.from(start).plusMonths(1).atDay(15));
        notes.add("機器が設置できない場合の返金申出期限 " + refundBy + "（無償期間中は全額、その後は1か月分を控除）");
        if (start.getMonthValue() == 2 || start.getMonthValue() == 3) {
            notes.add("利用開始月が2月または3月のため、協議により次年度分と合わせて一括で支払える");
        }
        if (!due.isBefore(start)) {
            notes.add("支払いの確認後に機器を発送するため、支払期日より前の入金で無償期間中の設置に間に合う");
        }
        return new Quote(edition, start, billingFrom, Optional.of(periodEnd), Optional.of(freeUntil), charges, notes);
    }

    /**
     * Fees per appliance and per protected PC (Vario 004 第9条, 別紙1 §2): monthly fees billed from
     * the 1st of the month after the installation day (the start), the last month billed in full,
     * early termination paying the months left.
     */
    private static Quote perAppliance(Billing.PerAppliance terms, String edition, QuoteRequest r) {
        Tax tax = terms.tax();
        long initialNetwork = terms.initialNetwork();
        long initialWithEndpoint = terms.initialWithEndpoint();
        long monthlyPerAppliance = terms.monthlyPerAppliance();
        long monthlyPerPc = terms.monthlyPerPc();
        int minimumMonths = terms.minimumMonths();
        int lateInterestPermille = terms.lateInterestPermille();
        LocalDate start = r.start().orElse(r.applied());
        LocalDate billingFrom = start.withDayOfMonth(1).plusMonths(1);
        long initialEach = r.pcs() > 0 ? initialWithEndpoint : initialNetwork;
        long monthly = monthlyPerAppliance * r.appliances() + monthlyPerPc * r.pcs();
        List<Charge> charges = new ArrayList<>();
        charges.add(new Charge("初期費用（" + (r.pcs() > 0 ? "ネットワーク＆端末" : "ネットワーク") + "）× " + r.appliances() + "台",
                Charge.Amount.listed(tax, initialEach * r.appliances()), Optional.empty(), "初回の月額費用とともに支払う"));
        charges.add(new Charge("月額利用料（" + month(billingFrom) + "分）", Charge.Amount.listed(tax, monthly), Optional.empty(),
                "UTM " + r.appliances() + "台 × " + Yen.of(monthlyPerAppliance)
                        + (r.pcs() > 0 ? " ＋ 端末 " + r.pcs() + "台 × " + Yen.of(monthlyPerPc) : "")));
        LocalDate minimumEnd = start.plusMonths(minimumMonths).minusDays(1);
        List<String> notes = new ArrayList<>();
        notes.add("提供開始日（設置日）" + start + "、その月は月額費用なし、" + billingFrom + "から課金");
        notes.add("最低利用期間 " + start + "〜" + minimumEnd + "（" + minimumMonths + "か月分 計 " + Yen.of(Charge.Amount.listed(tax, monthly * minimumMonths).gross())
                + " 税込）、以後1か月単位で自動延長");
        notes.add("最低利用期間内の解約は残りの月数分の月額料金を一括で支払う。最終月は月途中でも1か月分");
        notes.add("支払遅延は年" + (lateInterestPermille / 10) + "." + (lateInterestPermille % 10) + "%の遅延損害金（日割り、年365日）");
        return new Quote(edition, start, billingFrom, Optional.empty(), Optional.empty(), charges, notes);
    }

    /** Late-payment interest at the terms' yearly rate on {@code amount} for {@code days} days late (365-day year), rounded down to the yen. */
    public static long lateInterest(Billing.PerAppliance terms, long amount, long days) {
        return Math.floorDiv(amount * terms.lateInterestPermille() * days, 1000L * 365);
    }

    /** What early termination costs: the monthly fees of the minimum term's months not yet billed. */
    public static long earlyTermination(Billing.PerAppliance terms, LocalDate start, YearMonth lastBilled, int appliances, int pcs) {
        YearMonth lastOfMinimum = YearMonth.from(start.withDayOfMonth(1).plusMonths(terms.minimumMonths()));
        long left = Math.max(0, java.time.temporal.ChronoUnit.MONTHS.between(lastBilled, lastOfMinimum));
        return left * (terms.monthlyPerAppliance() * appliances + terms.monthlyPerPc() * pcs);
    }

    private static String month(LocalDate d) {
        return d.getYear() + "年" + d.getMonthValue() + "月";
    }

}
