package org.omamori.backoffice.insurance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.edition.matsumoto.MatsumotoEdition;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.osaka.OsakaEdition;

/** Insurance eligibility: the insurance year, the 30 days, the limits, Niigata's renewal rule. */
class InsuranceCheckTest {

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    static ZonedDateTime mail(String t) {
        return LocalDateTime.parse(t).atZone(ZoneId.of("Asia/Tokyo"));
    }

    @Test
    void aDispatchOnDayThirtyIsCoveredAndOnDayThirtyOneNot() {
        var osaka = new OsakaEdition();
        var day30 = InsuranceCheck.check(osaka, d("2026-06-10"), mail("2026-07-10T09:00"), d("2026-08-09"), 0, Optional.empty());
        assertThat(day30.eligible()).isTrue();
        assertThat(day30.upTo()).isEqualTo(150_000);
        assertThat(day30.yearFrom()).isEqualTo(d("2026-07-01"));
        assertThat(day30.yearTo()).isEqualTo(d("2027-06-30"));
        var day31 = InsuranceCheck.check(osaka, d("2026-06-10"), mail("2026-07-10T09:00"), d("2026-08-10"), 0, Optional.empty());
        assertThat(day31.eligible()).isFalse();
        assertThat(day31.reasonsJa()).singleElement().asString().contains("30日以内", "2026-08-09");
    }

    @Test
    void nothingIsCoveredBeforeTheInsuranceYearStartsNorBeyondTheYearsLimit() {
        var osaka = new OsakaEdition();
        assertThat(InsuranceCheck.check(osaka, d("2026-06-10"), mail("2026-06-15T09:00"), d("2026-06-20"), 0, Optional.empty())
                .reasonsJa()).anyMatch(r -> r.contains("2026-07-01"));
        var third = InsuranceCheck.check(osaka, d("2026-06-10"), mail("2026-09-01T09:00"), d("2026-09-02"), 300_000, Optional.empty());
        assertThat(third.eligible()).as("a third dispatch in one year").isFalse();
        var matsumoto = InsuranceCheck.check(new MatsumotoEdition(), d("2026-06-10"), mail("2026-09-01T09:00"), d("2026-09-02"), 50_000,
                Optional.empty());
        assertThat(matsumoto.left()).isEqualTo(50_000);
        assertThat(matsumoto.upTo()).isEqualTo(50_000);
        var nextYear = InsuranceCheck.check(osaka, d("2026-06-10"), mail("2027-07-01T09:00"), d("2027-07-02"), 0, Optional.empty());
        assertThat(nextYear.yearFrom()).isEqualTo(d("2027-07-01"));
        assertThat(nextYear.eligible()).isTrue();
    }

    @Test
    void aThirdDispatchInOneInsuranceYearIsRefusedWhereTheEditionPaysTwoEvenWithLimitLeft() {
        var osaka = new OsakaEdition();
        var third = InsuranceCheck.check(osaka, d("2026-06-10"), mail("2026-09-01T09:00"), d("2026-09-02"), 250_000, 2, Optional.empty());
        assertThat(third.left()).isEqualTo(50_000);
        assertThat(third.eligible()).isFalse();
        assertThat(third.reasonsJa()).singleElement().asString().contains("2 回まで");
        assertThat(InsuranceCheck.check(osaka, d("2026-06-10"), mail("2026-09-01T09:00"), d("2026-09-02"), 150_000, 1, Optional.empty())
                .upTo()).isEqualTo(150_000);
        assertThat(InsuranceCheck.yearOf(d("2026-06-10"), d("2027-07-01"))).isEqualTo(new InsuranceCheck.Year(d("2027-07-01"), d("2028-06-30")));
    }

    @Test
    void niigataPaidBeforeTheAprilRenewalGetsNothingMoreUntilThatInsuranceYearEnds() {
        var niigata = new NiigataEdition();
        var after = InsuranceCheck.check(niigata, d("2026-06-05"), mail("2027-04-10T09:00"), d("2027-04-20"), 150_000,
                Optional.of(d("2027-04-01")));
        assertThat(after.eligible()).isFalse();
        assertThat(after.reasonsJa()).anyMatch(r -> r.contains("2027-06-30"));
        var osakaSame = InsuranceCheck.check(new OsakaEdition(), d("2026-06-05"), mail("2027-04-10T09:00"), d("2027-04-20"), 150_000,
                Optional.of(d("2027-04-01")));
        assertThat(osakaSame.eligible()).as("the rule is Niigata's").isTrue();
        var nextPeriod = InsuranceCheck.check(niigata, d("2026-06-05"), mail("2027-07-01T09:00"), d("2027-07-05"), 0,
                Optional.of(d("2027-04-01")));
        assertThat(nextPeriod.eligible()).isTrue();
    }
}
