package org.omamori.backoffice.contract;

import java.time.LocalDate;
import java.time.MonthDay;
import java.time.YearMonth;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms;
import org.omamori.api.edition.Terms.Billing;
import org.omamori.backoffice.billing.Quote;
import org.omamori.backoffice.billing.QuoteRequest;
import org.omamori.backoffice.billing.Quotes;
import org.omamori.backoffice.billing.Yen;

/**
 * The contract life cycle under one edition's terms (docs/contracts.md): application → approval
 * (the contract is formed) → payment where the terms want it before shipping → shipping →
 * activation → service start → renewals → suspension → cancellation or termination → end. Each
 * step checks the state and the terms and returns the new contract, or throws a
 * {@link ContractRuleException} naming the rule.
 */
public final class Lifecycle {

    /** What comes next on a contract: who acts, what, and by when if the terms say. */
    public record Next(Actor actor, String whatJa, Optional<LocalDate> by) {
    }

    private static final Set<ContractState> BEFORE_START = EnumSet.of(ContractState.APPROVED, ContractState.PAID,
            ContractState.SHIPPED, ContractState.ACTIVATED);
    private static final Set<ContractState> IN_SERVICE = EnumSet.of(ContractState.ACTIVE, ContractState.SUSPENDED);

    private final Edition edition;
    private final Terms terms;

    public Lifecycle(Edition edition) {
        this.edition = Objects.requireNonNull(edition, "edition");
        this.terms = edition.terms();
    }

    /** An application (the customer's act; the request says what the quote needs: membership, appliances, PCs). */
    public Contract apply(QuoteRequest request) {
        quote(request); // refuses what the terms cannot quote, e.g. Niigata without membership
        Contract c = new Contract(edition.id(), ContractState.APPLIED, request.applied(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), request.member(), request.appliances(), request.pcs(),
                request.monthlyFee(), java.util.List.of());
        return c.step(ContractState.APPLIED, request.applied(), Actor.CUSTOMER, "申込");
    }

    /** The reseller approves: the contract is formed (the approval mail is sent in the same transaction). */
    public Contract approve(Contract c, LocalDate on) {
        require(c, on, ContractState.APPLIED);
        if (on.isBefore(c.applied())) {
            throw new ContractRuleException("dates", "the approval day " + on + " is before the application " + c.applied());
        }
        Quote q = quote(c, on);
        Optional<LocalDate> planned = terms.billing() instanceof Billing.AnnualToMarch ? Optional.of(q.start()) : Optional.empty();
        return c.withApproved(on, planned).step(ContractState.APPROVED, on, Actor.RESELLER, "承認（承認メールの送信をもって契約成立）");
    }

    /** The reseller refuses an application, or the customer withdraws it: it ends before it was formed. */
    public Contract refuse(Contract c, LocalDate on, String reasonJa) {
        require(c, on, ContractState.APPLIED);
        return c.withEndsOn(on).step(ContractState.ENDED, on, Actor.RESELLER, "謝絶・取下げ: " + reasonJa);
    }

    /**
     * A payment recorded by the reseller: before shipping where the terms want it (→ paid), or
     * unpaid fees of a suspended contract (→ in service again), or any other fee (recorded only).
     */
    public Contract pay(Contract c, LocalDate on, long yen) {
        if (yen <= 0) {
            throw new IllegalArgumentException("a payment is a positive amount of yen: " + yen);
        }
        String what = "入金 " + Yen.of(yen);
        return switch (c.state()) {
            case APPROVED -> c.step(terms.contract().paymentBeforeShipping() ? ContractState.PAID : ContractState.APPROVED, on,
                    Actor.RESELLER, what);
            case SUSPENDED -> c.step(ContractState.ACTIVE, on, Actor.RESELLER, what + "（未払い解消により利用再開）");
            case APPLIED, ENDED -> throw new ContractRuleException("state", "no payment is due while the contract is " + c.state());
            default -> c.step(c.state(), on, Actor.RESELLER, what);
        };
    }

    /** The operator ships the appliance; where the terms want payment first, only after it. */
    public Contract ship(Contract c, LocalDate on) {
        if (c.state() == ContractState.APPROVED && terms.contract().paymentBeforeShipping()) {
            throw new ContractRuleException("payment-before-shipping",
                    "edition " + edition.id() + " ships the appliance only after the first payment is confirmed");
        }
        require(c, on, ContractState.APPROVED, ContractState.PAID);
        return c.step(ContractState.SHIPPED, on, Actor.OPERATOR, "機器発送");
    }

    /** The customer installed the appliance and it activated: the service starts now, or on the start date the terms fixed. */
    public Contract activate(Contract c, LocalDate on) {
        require(c, on, ContractState.SHIPPED);
        Contract activated = c.step(ContractState.ACTIVATED, on, Actor.CUSTOMER, "機器設置・有効化");
        if (c.plannedStart().isEmpty() || !on.isBefore(c.plannedStart().get())) {
            return start(activated, c.plannedStart().orElse(on));
        }
        return activated;
    }

    /** The service start (the platform's step on the start date). */
    public Contract start(Contract c, LocalDate on) {
        require(c, on, ContractState.ACTIVATED);
        if (c.plannedStart().isPresent() && on.isBefore(c.plannedStart().get())) {
            throw new ContractRuleException("start-date", "the service starts on " + c.plannedStart().get() + ", not " + on);
        }
        Optional<LocalDate> periodEnd = terms.contract().renewal() == Terms.Renewal.YEARLY_FROM_APRIL
                ? Optional.of(LocalDate.of(on.getMonthValue() <= 3 ? on.getYear() : on.getYear() + 1, 3, 31)) : Optional.empty();
        return c.withStarted(on, periodEnd).step(ContractState.ACTIVE, on, Actor.SYSTEM, "サービス開始");
    }

    /** A yearly period renews on 1 April for a year, unless the contract is ending. */
    public Contract renew(Contract c, LocalDate on) {
        require(c, on, ContractState.ACTIVE, ContractState.SUSPENDED);
        if (terms.contract().renewal() != Terms.Renewal.YEARLY_FROM_APRIL || c.periodEnd().isEmpty()) {
            throw new ContractRuleException("renewal", "edition " + edition.id() + " renews month by month: there is no period to renew");
        }
        LocalDate end = c.periodEnd().get();
        if (!on.isAfter(end)) {
            throw new ContractRuleException("renewal", "the period runs to " + end + "; it renews from " + end.plusDays(1));
        }
        return c.withPeriodEnd(end.plusYears(1)).step(c.state(), on, Actor.SYSTEM, "契約更新（" + end.plusDays(1) + "〜" + end.plusYears(1) + "）");
    }

    /**
     * Suspends the service: for fees unpaid since {@code unpaidDue} (allowed once the terms' days
     * after the due date have passed), or on the customer's request where the terms allow it (empty).
     */
    public Contract suspend(Contract c, LocalDate on, Optional<LocalDate> unpaidDue) {
        require(c, on, ContractState.ACTIVE);
        if (unpaidDue.isEmpty()) {
            if (!terms.contract().suspensionOnRequest()) {
                throw new ContractRuleException("suspension-on-request", "edition " + edition.id() + " does not suspend the service on request");
            }
            return c.step(ContractState.SUSPENDED, on, Actor.RESELLER, "お客様の申出による利用停止");
        }
        LocalDate allowed = unpaidDue.get().plusDays(terms.contract().unpaidDaysBeforeSuspension());
        if (on.isBefore(allowed)) {
            throw new ContractRuleException("unpaid-days", "fees due " + unpaidDue.get() + " may suspend the service from " + allowed
                    + " (" + terms.contract().unpaidDaysBeforeSuspension() + " days after the due date and a notice)");
        }
        return c.step(ContractState.SUSPENDED, on, Actor.RESELLER, "料金未払いによる利用停止（支払期日 " + unpaidDue.get() + "）");
    }

    /** The service again after a suspension. */
    public Contract resume(Contract c, LocalDate on) {
        require(c, on, ContractState.SUSPENDED);
        return c.step(ContractState.ACTIVE, on, Actor.RESELLER, "利用再開");
    }

    /**
     * The customer cancels, on {@code requested}: before approval the application is withdrawn;
     * between approval and the start only where the terms allow it; in service the contract runs to
     * the end of the month the notice period reaches (or a later month the customer asks for).
     */
    public Contract cancel(Contract c, LocalDate requested, Optional<LocalDate> desiredEnd) {
        if (c.state() == ContractState.APPLIED) {
            return c.withEndsOn(requested).step(ContractState.ENDED, requested, Actor.CUSTOMER, "申込の取下げ");
        }
        if (BEFORE_START.contains(c.state()) && !terms.contract().cancelBeforeStart()) {
            throw new ContractRuleException("cancel-before-start",
                    "edition " + edition.id() + " allows no cancellation between the approval and the service start");
        }
        require(c, requested, ContractState.APPROVED, ContractState.PAID, ContractState.SHIPPED, ContractState.ACTIVATED,
                ContractState.ACTIVE, ContractState.SUSPENDED);
        LocalDate earliest = earliestEnd(requested);
        LocalDate end = desiredEnd.map(d -> YearMonth.from(d).atEndOfMonth()).orElse(earliest);
        if (end.isBefore(earliest)) {
            throw new ContractRuleException("notice", "a cancellation given on " + requested + " ends the contract on " + earliest
                    + " at the earliest (" + terms.contract().noticeMonths() + " months' notice, to the end of a month)");
        }
        return c.withEndsOn(end).step(ContractState.ENDING, requested, Actor.CUSTOMER, "解約申出（" + end + " 終了）" + earlyTermination(c, end));
    }

    /** The reseller terminates (unpaid fees or a breach uncured after notice): the service ends on {@code on}. */
    public Contract terminate(Contract c, LocalDate on, String reasonJa) {
        require(c, on, ContractState.ACTIVE, ContractState.SUSPENDED, ContractState.ACTIVATED, ContractState.SHIPPED,
                ContractState.PAID, ContractState.APPROVED);
        return c.withEndsOn(on).step(ContractState.ENDING, on, Actor.RESELLER, "契約解除: " + reasonJa);
    }

    /** The end: on or after the end date; the customer's data is then erased (docs/contracts.md "The end"). */
    public Contract end(Contract c, LocalDate on) {
        require(c, on, ContractState.ENDING);
        if (on.isBefore(c.endsOn().orElseThrow())) {
            throw new ContractRuleException("end-date", "the contract runs to " + c.endsOn().get());
        }
        return c.step(ContractState.ENDED, on, Actor.SYSTEM, "契約終了（お客様情報の消去、機器の認証の失効、返却機器のデータ消去）");
    }

    /**
     * The refund when the appliance cannot be used (Niigata 第12条4): asked by e-mail by the 15th of
     * the month after the start month (moved to the nearest earlier business day); everything paid
     * is refunded when asked within the free period (the start month), else all but one month's fee.
     *
     * @param paid what the customer paid for the first period, tax included
     * @throws ContractRuleException when the terms have no such refund, before the start, or asked too late
     */
    public long unsuitableApplianceRefund(Contract c, LocalDate asked, long paid) {
        if (!(terms.billing() instanceof Billing.AnnualToMarch a) || terms.contract().refundCasesJa().stream().noneMatch(r -> r.startsWith("第12条4"))) {
            throw new ContractRuleException("refund", "edition " + edition.id() + " refunds nothing for an unsuitable appliance");
        }
        LocalDate start = c.started().or(c::plannedStart).orElseThrow(() -> new ContractRuleException("refund",
                "the contract has no start date yet"));
        LocalDate deadline = new org.omamori.backoffice.calendar.BusinessCalendar(terms.desk().closed())
                .onOrBefore(YearMonth.from(start).plusMonths(1).atDay(15));
        if (asked.isAfter(deadline)) {
            throw new ContractRuleException("refund-deadline", "the refund had to be asked by " + deadline + " (第12条4)");
        }
        if (!asked.isAfter(YearMonth.from(start).atEndOfMonth())) {
            return paid; // within the free period: all of it
        }
        long monthly = (c.member().orElse(false) ? a.memberFee() : a.nonMemberFee()) / 12;
        return Math.max(0, paid - monthly);
    }

    /**
     * The refund when the service is abolished (Niigata 002 第11条2): the months of the period in force
     * after the month of the abolition, if paid.
     *
     * @param paid what the customer paid for the period in force, tax included
     */
    public long abolitionRefund(Contract c, YearMonth abolished, long paid) {
        return monthsAfter(c, "第11条2", abolished, paid);
    }

    /**
     * The refund when the customer cancels within 2 months of being notified of a change to the
     * service (Niigata 002 第12条5): the months of the period in force after the cancellation's month.
     *
     * @throws ContractRuleException when the cancellation came more than 2 months after the notice
     */
    public long serviceChangeRefund(Contract c, LocalDate notified, LocalDate cancelled, long paid) {
        if (cancelled.isBefore(notified) || cancelled.isAfter(notified.plusMonths(2))) {
            throw new ContractRuleException("refund-deadline", "a cancellation on " + cancelled + " is not within 2 months of the notice of "
                    + notified + " (第12条5)");
        }
        return monthsAfter(c, "第12条5", YearMonth.from(cancelled), paid);
    }

    /** The annual fee / 12 for each month of the period in force after {@code month}, at most what was paid. */
    private long monthsAfter(Contract c, String article, YearMonth month, long paid) {
        if (!(terms.billing() instanceof Billing.AnnualToMarch a) || terms.contract().refundCasesJa().stream().noneMatch(r -> r.startsWith(article))) {
            throw new ContractRuleException("refund", "edition " + edition.id() + " has no refund under " + article);
        }
        YearMonth end = YearMonth.from(c.periodEnd().orElseThrow(() -> new ContractRuleException("refund", "the service has not started")));
        long months = Math.max(0, java.time.temporal.ChronoUnit.MONTHS.between(month, end));
        long monthly = (c.member().orElse(false) ? a.memberFee() : a.nonMemberFee()) / 12;
        return Math.min(paid, months * monthly);
    }

    /** Who acts next, on what, by when. */
    public Next next(Contract c) {
        return switch (c.state()) {
            case APPLIED -> new Next(Actor.RESELLER, "申込の審査（承認または謝絶）", Optional.empty());
            case APPROVED -> terms.contract().paymentBeforeShipping()
                    ? new Next(Actor.CUSTOMER, "初回利用料の支払い（入金確認後に機器を発送）", firstDue(c))
                    : new Next(Actor.OPERATOR, "機器の発送", Optional.empty());
            case PAID -> new Next(Actor.OPERATOR, "機器の発送", Optional.empty());
            case SHIPPED -> new Next(Actor.CUSTOMER, "機器の設置と有効化", c.plannedStart());
            case ACTIVATED -> new Next(Actor.SYSTEM, "サービス開始", c.plannedStart());
            case ACTIVE -> c.periodEnd().isPresent()
                    ? new Next(Actor.CUSTOMER, "更新料の支払い（" + c.periodEnd().get().plusDays(1) + " からの1年分）",
                            Optional.of(MonthDay.of(2, 25).atYear(c.periodEnd().get().getYear())))
                    : new Next(Actor.CUSTOMER, "月額利用料の支払い", Optional.empty());
            case SUSPENDED -> new Next(Actor.CUSTOMER, "未払い料金の支払い", Optional.empty());
            case ENDING -> new Next(Actor.SYSTEM, "契約終了とお客様情報の消去", c.endsOn());
            case ENDED -> new Next(Actor.OPERATOR, "返却された機器のデータ消去", Optional.empty());
        };
    }

    private LocalDate earliestEnd(LocalDate requested) {
        return YearMonth.from(requested.plusMonths(terms.contract().noticeMonths())).atEndOfMonth();
    }

    private String earlyTermination(Contract c, LocalDate end) {
        if (!(terms.billing() instanceof Billing.PerAppliance p) || c.started().isEmpty() || !terms.contract().earlyTerminationPaysRest()) {
            return "";
        }
        long rest = Quotes.earlyTermination(p, c.started().get(), YearMonth.from(end), c.appliances(), c.pcs());
        return rest == 0 ? "" : "、最低利用期間内のため残り期間の月額 " + Yen.of(rest) + "（税別）を一括請求";
    }

    private Optional<LocalDate> firstDue(Contract c) {
        return quote(c, c.approved().orElse(c.applied())).charges().stream().findFirst().flatMap(ch -> ch.due());
    }

    private Quote quote(Contract c, LocalDate approved) {
        QuoteRequest r = QuoteRequest.appliedOn(c.applied()).approvedOn(approved).appliances(c.appliances()).pcs(c.pcs());
        if (c.monthlyFee().isPresent()) {
            r = r.monthlyFee(c.monthlyFee().getAsLong());
        }
        return quote(c.member().isPresent() ? r.member(c.member().get()) : r);
    }

    private Quote quote(QuoteRequest r) {
        if (terms.billing() instanceof Billing.MonthlyFromNextMonth m && m.monthlyFee().isEmpty() && r.monthlyFee().isEmpty()) {
            r = r.monthlyFee(0); // the fee is each contract's: the dates do not depend on it
        }
        return Quotes.quote(edition, r);
    }

    private static void require(Contract c, LocalDate on, ContractState... allowed) {
        Objects.requireNonNull(on, "on");
        for (ContractState s : allowed) {
            if (c.state() == s) {
                LocalDate last = c.history().isEmpty() ? c.applied() : c.history().getLast().on();
                if (on.isBefore(last)) {
                    throw new ContractRuleException("dates", "a step on " + on + " is before the last one, on " + last);
                }
                return;
            }
        }
        throw new ContractRuleException("state", "the contract is " + c.state() + " (" + c.state().ja() + "); this step needs "
                + java.util.Arrays.toString(allowed));
    }
}
