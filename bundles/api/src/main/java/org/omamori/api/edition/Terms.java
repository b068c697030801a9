package org.omamori.api.edition;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What an edition's contracts say, as data the back office computes with (docs/edition-sdk.md
 * "Terms"; the rules behind each value are in docs/billing.md and docs/contracts.md).
 *
 * @param billing       how fees are charged
 * @param contract      how a contract starts, renews and ends
 * @param insurance     what the incident insurance pays
 * @param desk          the support desk: names, hours, closed days, answer deadline
 * @param maxRecipients how many mail addresses a customer may name for alert mail (1-3; the seeds allow 3)
 */
public record Terms(Billing billing, Contract contract, Insurance insurance, Desk desk, int maxRecipients) {

    public Terms {
        Objects.requireNonNull(billing, "billing");
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(insurance, "insurance");
        Objects.requireNonNull(desk, "desk");
        Checks.between("maxRecipients", maxRecipients, 1, 3);
    }

    /** How a price list states consumption tax: included (税込) or excluded (税別), at a rate in percent. */
    public record Tax(boolean included, int ratePercent) {
        public static final Tax INCLUDED_10 = new Tax(true, 10);
        public static final Tax EXCLUDED_10 = new Tax(false, 10);

        public Tax {
            Checks.between("tax rate", ratePercent, 0, 100);
        }
    }

    /** How fees are charged: one of the shapes the back office knows (docs/billing.md). */
    public sealed interface Billing {

        Tax tax();

        /**
         * A monthly fee from the 1st of the month after the start, no proration, a cancellation
         * running to the end of its month (the NEC editions).
         *
         * @param monthlyFee the fee when the terms state it; empty when each contract states it
         */
        record MonthlyFromNextMonth(OptionalLong monthlyFee, Tax tax) implements Billing {
            public MonthlyFromNextMonth {
                Objects.requireNonNull(monthlyFee, "monthlyFee");
                monthlyFee.ifPresent(f -> Checks.nonNegative("monthlyFee", f));
                Objects.requireNonNull(tax, "tax");
            }
        }

        /**
         * An annual fee for periods ending 31 March (Niigata): the start is the
         * {@code nthBusinessDay}-th business day of the month after an application on or before day
         * {@code applyBy}, else of the month after that; the start's month is free; the first payment
         * is the annual fee / 12 for each month to March, due on day {@code dueDay} of the approval
         * month, or of the next month when approved on or after day {@code lateApproval}.
         */
        record AnnualToMarch(long memberFee, long nonMemberFee, Tax tax, int applyBy, int nthBusinessDay, int dueDay,
                             int lateApproval) implements Billing {
            public AnnualToMarch {
                Checks.nonNegative("memberFee", memberFee);
                Checks.nonNegative("nonMemberFee", nonMemberFee);
                Objects.requireNonNull(tax, "tax");
                Checks.between("applyBy", applyBy, 1, 28);
                Checks.between("nthBusinessDay", nthBusinessDay, 1, 15);
                Checks.between("dueDay", dueDay, 1, 28);
                Checks.between("lateApproval", lateApproval, 1, 28);
            }
        }

        /**
         * Fees per appliance and per protected PC (Vario): an initial fee per appliance (higher with
         * endpoint protection), monthly fees from the 1st of the month after installation, a minimum
         * term in months, late payment at {@code lateInterestPermille} ‰ a year.
         */
        record PerAppliance(long initialNetwork, long initialWithEndpoint, long monthlyPerAppliance, long monthlyPerPc,
                            int minimumMonths, int lateInterestPermille, Tax tax) implements Billing {
            public PerAppliance {
                Checks.nonNegative("initialNetwork", initialNetwork);
                Checks.nonNegative("initialWithEndpoint", initialWithEndpoint);
                Checks.nonNegative("monthlyPerAppliance", monthlyPerAppliance);
                Checks.nonNegative("monthlyPerPc", monthlyPerPc);
                Checks.between("minimumMonths", minimumMonths, 0, 120);
                Checks.between("lateInterestPermille", lateInterestPermille, 0, 1000);
                Objects.requireNonNull(tax, "tax");
            }
        }
    }

    /** How a contract renews when nobody ends it. */
    public enum Renewal {
        /** Month by month (after the minimum term, if any). */
        MONTHLY,
        /** For a year from 1 April, the period ending 31 March. */
        YEARLY_FROM_APRIL
    }

    /**
     * How a contract starts, renews and ends (docs/contracts.md).
     *
     * @param renewal                  how it renews
     * @param minimumMonths            the minimum term from the start (0: none)
     * @param noticeMonths             how many months before the end of a period a cancellation must be given
     * @param cancelBeforeStart        whether the customer may cancel between approval and the service start
     * @param paymentBeforeShipping    whether the appliance ships only after the first payment
     * @param suspensionOnRequest      whether a customer may ask to suspend the service
     * @param unpaidDaysBeforeSuspension days after a payment's due date (and a notice) before the service is suspended
     * @param earlyTerminationPaysRest whether ending within the minimum term pays the months left
     * @param refundCasesJa            the cases that refund fees, as the terms word them; empty: no refunds
     */
    public record Contract(Renewal renewal, int minimumMonths, int noticeMonths, boolean cancelBeforeStart,
                           boolean paymentBeforeShipping, boolean suspensionOnRequest, int unpaidDaysBeforeSuspension,
                           boolean earlyTerminationPaysRest, List<String> refundCasesJa) {
        public Contract {
            Objects.requireNonNull(renewal, "renewal");
            Checks.between("minimumMonths", minimumMonths, 0, 120);
            Checks.between("noticeMonths", noticeMonths, 0, 12);
            Checks.between("unpaidDaysBeforeSuspension", unpaidDaysBeforeSuspension, 0, 365);
            refundCasesJa = Checks.list("refundCasesJa", refundCasesJa, 20);
            refundCasesJa.forEach(r -> Checks.text("refund case", r, 1000));
        }
    }

    /**
     * The incident insurance (駆け付け対応の費用保険), amounts tax included.
     *
     * @param perDispatch      the most paid for one on-site dispatch
     * @param dispatchesPerYear dispatches paid per contract and insurance year
     * @param yearlyLimit      the most paid per contract and insurance year
     * @param daysAfterAlert   how many days after the ★★★ alert mail a dispatch may be
     * @param onSiteDispatch   whether an on-site dispatch (駆け付け) is part of the service
     * @param summaryJa        the plan in the terms' words, shown to customers
     * @param paidBeforeRenewalWaits whether a customer paid before a contract renewal gets nothing more after the renewal
     *                         until the insurance period then running ends (Niigata 002 第4条4)
     */
    public record Insurance(long perDispatch, int dispatchesPerYear, long yearlyLimit, int daysAfterAlert, boolean onSiteDispatch,
                            String summaryJa, boolean paidBeforeRenewalWaits) {
        public Insurance {
            Checks.nonNegative("perDispatch", perDispatch);
            Checks.between("dispatchesPerYear", dispatchesPerYear, 0, 100);
            Checks.nonNegative("yearlyLimit", yearlyLimit);
            Checks.between("daysAfterAlert", daysAfterAlert, 0, 365);
            summaryJa = Checks.text("insurance summary", summaryJa, 1000);
        }
    }

    /**
     * Closed every year from {@code first} to {@code last}, both included; 29 Dec to 3 Jan wraps the year end.
     */
    public record ClosedDays(MonthDay first, MonthDay last) {
        /** 年末年始 (no seed defines it; docs/billing.md): 29 December to 3 January. */
        public static final ClosedDays YEAR_END = new ClosedDays(MonthDay.of(12, 29), MonthDay.of(1, 3));

        public ClosedDays {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
        }

        public boolean contains(LocalDate day) {
            MonthDay d = MonthDay.from(day);
            return first.isAfter(last) ? !d.isBefore(first) || !d.isAfter(last) : !d.isBefore(first) && !d.isAfter(last);
        }
    }

    /**
     * The support desk (相談窓口): open on business days (not weekends, national holidays or
     * {@code closed}) from {@code opens} to {@code closes}, Japan time.
     *
     * @param name               e.g. 新潟商工会議所 見守りサービス相談窓口
     * @param phone              e.g. 025-000-0000
     * @param mail               where inquiries are mailed
     * @param answerBusinessDays the first answer to an inquiry is due within this many business days
     */
    public record Desk(Names name, String phone, String mail, LocalTime opens, LocalTime closes, List<ClosedDays> closed,
                       int answerBusinessDays) {
        public Desk {
            Objects.requireNonNull(name, "name");
            phone = Checks.line("phone", phone, 40);
            mail = new Brand.Sender(mail, "desk").address();
            Objects.requireNonNull(opens, "opens");
            Objects.requireNonNull(closes, "closes");
            if (!opens.isBefore(closes)) {
                throw new IllegalArgumentException("the desk opens before it closes: " + opens + "-" + closes);
            }
            closed = Checks.list("closed", closed, 20);
            Checks.between("answerBusinessDays", answerBusinessDays, 1, 30);
        }

        /** {@code 平日 9:00〜17:00}. */
        public String hoursJa() {
            return "平日 " + opens.getHour() + ":" + String.format("%02d", opens.getMinute()) + "〜" + closes.getHour() + ":"
                    + String.format("%02d", closes.getMinute());
        }
    }
}
