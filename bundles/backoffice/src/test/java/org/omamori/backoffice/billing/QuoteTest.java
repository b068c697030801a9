package org.omamori.backoffice.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms.Billing;
import org.omamori.api.edition.Terms.Tax;
import org.omamori.edition.matsumoto.MatsumotoEdition;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.osaka.OsakaEdition;
import org.omamori.edition.vario.VarioEdition;

/** The seeds' rules on dates from their own examples and edges of ours (docs/billing.md). */
class QuoteTest {

    static final Edition OSAKA = new OsakaEdition();
    static final Edition MATSUMOTO = new MatsumotoEdition();
    static final Edition NIIGATA = new NiigataEdition();
    static final Edition VARIO = new VarioEdition();

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    static Quote niigata(String applied, String approved, boolean member) {
        return Quotes.quote(NIIGATA, QuoteRequest.appliedOn(d(applied)).approvedOn(d(approved)).member(member));
    }

    @Test
    void niigataAppliedOnTheFifthStartsOnTheFifthBusinessDayOfTheNextMonth() {
        Quote q = niigata("2026-05-05", "2026-05-14", true); // the 5th is a holiday: the calendar day counts
        assertThat(q.start()).isEqualTo(d("2026-06-05"));
        assertThat(q.freeUntil()).contains(d("2026-06-30"));
        assertThat(q.billingFrom()).isEqualTo(d("2026-07-01"));
        assertThat(q.firstPeriodEnd()).contains(d("2027-03-31"));
        assertThat(q.charges()).singleElement().satisfies(c -> {
            assertThat(c.amount()).isEqualTo(new Charge.Amount(54_000, 5_400)); // 79,200 / 12 × 9, tax included
            assertThat(c.due()).contains(d("2026-05-25"));
            assertThat(c.item()).contains("9か月");
        });
        assertThat(q.notes()).anyMatch(n -> n.contains("2027-01-29")) // 31 January 2027 is a Sunday
                .anyMatch(n -> n.contains("2027-02-25"))
                .anyMatch(n -> n.contains("2026-07-15"));
        assertThat(niigata("2026-05-05", "2026-05-14", false).total().gross()).isEqualTo(74_250);
    }

    @Test
    void niigataAppliedOnTheSixthStartsAMonthLaterAndApprovalOnTheFifteenthMovesTheDueDate() {
        Quote q14 = niigata("2026-05-06", "2026-05-14", true);
        assertThat(q14.start()).isEqualTo(d("2026-07-07")); // July 1-3 and 6-7
        assertThat(q14.total().gross()).isEqualTo(52_800); // August to March, 8 months
        assertThat(q14.charges().getFirst().due()).contains(d("2026-05-25"));
        Quote q15 = niigata("2026-05-06", "2026-05-15", true);
        assertThat(q15.charges().getFirst().due()).contains(d("2026-06-25"));
        assertThat(niigata("2026-05-06", "2026-05-15", false).total().gross()).isEqualTo(66_000);
        // The refund deadline, 15 August (a Saturday and Niigata's own closed day), moves to Friday the 14th.
        assertThat(q15.notes()).anyMatch(n -> n.contains("返金申出期限 2026-08-14"));
    }

    @Test
    void niigataStartsPushedByTheYearEndAndGoldenWeekAndStartsInFebruaryMarchAndApril() {
        Quote january = niigata("2026-11-06", "2026-11-16", true);
        assertThat(january.start()).isEqualTo(d("2027-01-08")); // 1-3 January closed, 4-8 the first five
        assertThat(january.total().gross()).isEqualTo(13_200); // February and March
        assertThat(january.charges().getFirst().due()).contains(d("2026-12-25"));
        // Golden Week 2027 with its Monday holiday (3 May): 6, 7, 10, 11, 12.
        assertThat(niigata("2027-04-05", "2027-04-06", true).start()).isEqualTo(d("2027-05-12"));
        Quote february = niigata("2027-01-05", "2027-01-06", true);
        assertThat(february.start()).isEqualTo(d("2027-02-05"));
        assertThat(february.total().gross()).isEqualTo(6_600);
        assertThat(february.notes()).anyMatch(n -> n.contains("2月または3月"));
        Quote march = niigata("2027-02-05", "2027-02-05", true);
        assertThat(march.start()).isEqualTo(d("2027-03-05"));
        assertThat(march.total().gross()).as("the whole first period is free").isZero();
        Quote april = niigata("2027-02-06", "2027-02-06", true);
        assertThat(april.start()).isEqualTo(d("2027-04-07"));
        assertThat(april.firstPeriodEnd()).contains(d("2028-03-31"));
        assertThat(april.total().gross()).isEqualTo(72_600); // May to March, 11 months
        // Applied on 31 March: the month after next is May.
        assertThat(niigata("2026-03-31", "2026-04-01", false).start()).isEqualTo(d("2026-05-12"));
    }

    @Test
    void niigataNeedsMembershipAndAnApprovalNotBeforeTheApplication() {
        assertThatThrownBy(() -> Quotes.quote(NIIGATA, QuoteRequest.appliedOn(d("2026-05-05"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--member");
        assertThatThrownBy(() -> QuoteRequest.appliedOn(d("2026-05-05")).approvedOn(d("2026-05-04")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
        // No approval given: the application day is taken, and the charge says so.
        Quote q = Quotes.quote(NIIGATA, QuoteRequest.appliedOn(d("2026-05-20")).member(true));
        assertThat(q.charges().getFirst().due()).contains(d("2026-06-25"));
        assertThat(q.charges().getFirst().note()).contains("申込日と仮定");
    }

    @Test
    void varioBillsFromTheNextMonthPerApplianceAndPcWithTaxAdded() {
        {
            Quote q = Quotes.quote(VARIO, QuoteRequest.appliedOn(d("2026-05-20")).startingOn(d("2026-06-10")).appliances(2).pcs(5));
            assertThat(q.start()).isEqualTo(d("2026-06-10"));
            assertThat(q.billingFrom()).isEqualTo(d("2026-07-01"));
            assertThat(q.charges()).extracting(Charge::amount).containsExactly(
                    new Charge.Amount(160_000, 16_000), // 80,000 × 2 with endpoint protection
                    new Charge.Amount(26_600, 2_660)); // 9,800 × 2 + 1,400 × 5
            assertThat(q.total()).isEqualTo(new Charge.Amount(186_600, 18_660));
            assertThat(q.notes()).anyMatch(n -> n.contains("2026-06-10〜2028-06-09"));
        }
        Quote network = Quotes.quote(VARIO, QuoteRequest.appliedOn(d("2026-12-28")));
        assertThat(network.billingFrom()).isEqualTo(d("2027-01-01"));
        assertThat(network.total()).isEqualTo(new Charge.Amount(69_800, 6_980));
        Billing.PerAppliance vario = (Billing.PerAppliance) VARIO.terms().billing();
        // Early termination after December 2026 was billed: January 2027 to June 2028, 18 months.
        assertThat(Quotes.earlyTermination(vario, d("2026-06-10"), YearMonth.of(2026, 12), 2, 5)).isEqualTo(18 * 26_600);
        assertThat(Quotes.earlyTermination(vario, d("2026-06-10"), YearMonth.of(2028, 6), 2, 5)).isZero();
        assertThat(Quotes.lateInterest(vario, 100_000, 30)).isEqualTo(1_200); // 14.6 % a year, per day
        assertThat(Quotes.lateInterest(vario, 9_800, 1)).isEqualTo(3); // 3.92 rounded down
    }

    @Test
    void osakaBillsTheResellersMonthlyFeeFromTheFirstOfTheNextMonth() {
        Quote q = Quotes.quote(OSAKA, QuoteRequest.appliedOn(d("2026-06-01")).approvedOn(d("2026-06-10")).monthlyFee(5_500));
        assertThat(q.start()).isEqualTo(d("2026-06-10"));
        assertThat(q.billingFrom()).isEqualTo(d("2026-07-01"));
        assertThat(q.total()).isEqualTo(new Charge.Amount(5_000, 500));
        assertThat(q.freeUntil()).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> Quotes.quote(MATSUMOTO, QuoteRequest.appliedOn(d("2026-06-01"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--monthly-fee");
    }

    @Test
    void taxIsSplitFromIncludedPricesAndAddedToExcludedOnesRoundedDown() {
        assertThat(Charge.Amount.listed(Tax.INCLUDED_10, 79_200)).isEqualTo(new Charge.Amount(72_000, 7_200));
        assertThat(Charge.Amount.listed(Tax.INCLUDED_10, 1_000)).isEqualTo(new Charge.Amount(910, 90)); // 90.9 → 90
        assertThat(Charge.Amount.listed(Tax.EXCLUDED_10, 1_999)).isEqualTo(new Charge.Amount(1_999, 199));
    }

    @Test
    void aMondayHolidayInTheFirstWeekPushesTheFifthBusinessDay() {
        // Applied by 5 December 2027: January 2028 — closed to the 3rd, then 4-7 January, and Monday 10 January is
        // 成人の日: the 5th business day is Tuesday the 11th.
        Quote q = niigata("2027-12-03", "2027-12-10", true);
        assertThat(q.start()).isEqualTo(d("2028-01-11"));
        assertThat(q.firstPeriodEnd()).contains(d("2028-03-31"));
        assertThat(q.charges().getFirst().amount().gross()).isEqualTo(13_200); // February and March: 79,200 / 12 × 2
    }
}
