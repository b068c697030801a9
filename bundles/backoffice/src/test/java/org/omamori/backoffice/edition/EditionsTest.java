package org.omamori.backoffice.edition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Names;
import org.omamori.api.edition.Terms;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.osaka.OsakaEdition;
import org.omamori.edition.vario.VarioEdition;

/** The seeds' editions as the class path finds them, the standard's check, and what a bad edition meets. */
class EditionsTest {

    /** An edition whose terms the test picks, on the neutral brand. */
    record TestEdition(String id, Terms terms) implements Edition {
        @Override
        public Brand brand() {
            return NeutralEdition.INSTANCE.brand();
        }
    }

    static Terms terms(Terms.Billing billing, Terms.Insurance insurance) {
        return terms(billing, insurance, 3);
    }

    static Terms terms(Terms.Billing billing, Terms.Insurance insurance, int recipients) {
        Terms n = NeutralEdition.INSTANCE.terms();
        return new Terms(billing, n.contract(), insurance, n.desk(), recipients);
    }

    @Test
    void theClassPathHoldsTheFourSeededEditionsWithTheirBundleVersions() {
        Editions editions = Editions.onClassPath(getClass().getClassLoader());
        assertThat(editions.installed()).extracting(Editions.Installed::id).containsExactly("matsumoto", "niigata", "osaka", "vario");
        // the test class path holds the bundles' jars, made by bnd: their Bundle-Version
        assertThat(editions.installed()).allSatisfy(i -> assertThat(i.version()).matches("\\d+\\.\\d+\\.\\d+.*"));
        assertThat(editions.of(Optional.of("niigata")).brand().company().ja()).isEqualTo("新潟商工会議所");
        assertThat(editions.of(Optional.of("nagano")).id()).isEqualTo(NeutralEdition.ID);
        assertThat(editions.of(Optional.empty())).isSameAs(NeutralEdition.INSTANCE);
        editions.checkRecipients(Optional.of("niigata"), 3);
        Editions one = new Editions();
        one.install(new TestEdition("single", terms(NeutralEdition.INSTANCE.terms().billing(), NeutralEdition.INSTANCE.terms().insurance(), 1)),
                "1");
        assertThatThrownBy(() -> one.checkRecipients(Optional.of("single"), 2)).hasMessageContaining("edition single allows at most 1");
    }

    @Test
    void theSeededEditionsKeepTheStandardAndOnlyTheUnstatedMonthlyFeesAreLeftOpen() {
        assertThat(ServiceStandard.check(new NiigataEdition())).isEmpty(); // 99,000 / 12 = 7,500 without tax
        assertThat(ServiceStandard.check(new VarioEdition())).isEmpty(); // 9,800 and 1,400 without tax
        assertThat(ServiceStandard.check(new OsakaEdition())).singleElement()
                .satisfies(f -> assertThat(f.rule()).isEqualTo("STD-PRICE-NETWORK"))
                .satisfies(f -> assertThat(f.breach()).isFalse());
    }

    @Test
    void termsAboveTheCapsOrWithoutDispatchAndInsuranceAreWarningsNamingTheRule() {
        var expensive = new Terms.Billing.PerAppliance(0, 0, 11_000, 2_001, 0, 146, Terms.Tax.EXCLUDED_10);
        var noCover = new Terms.Insurance(0, 0, 0, 30, false, "なし", false);
        List<ServiceStandard.Finding> findings = ServiceStandard.check(new TestEdition("costly", terms(expensive, noCover)));
        assertThat(findings).allMatch(ServiceStandard.Finding::breach).extracting(ServiceStandard.Finding::rule)
                .containsExactly("STD-PRICE-NETWORK", "STD-PRICE-ENDPOINT", "STD-DISPATCH", "STD-INSURANCE");
        // 11,000 tax included is 10,000 without: at the cap, not above it
        var atCap = new Terms.Billing.MonthlyFromNextMonth(OptionalLong.of(11_000), Terms.Tax.INCLUDED_10);
        assertThat(ServiceStandard.check(new TestEdition("atcap", terms(atCap, NeutralEdition.INSTANCE.terms().insurance())))).isEmpty();
        var above = new Terms.Billing.MonthlyFromNextMonth(OptionalLong.of(11_012), Terms.Tax.INCLUDED_10);
        assertThat(ServiceStandard.check(new TestEdition("above", terms(above, NeutralEdition.INSTANCE.terms().insurance()))))
                .singleElement().satisfies(f -> assertThat(f.toString()).startsWith("warning STD-PRICE-NETWORK").contains("10011"));
    }

    @Test
    void anUpdateInstallsBeforeItRemovesAndTheEditionInForceFollows() {
        Editions editions = new Editions();
        Edition v1 = new TestEdition("kobe", NeutralEdition.INSTANCE.terms());
        Edition v2 = new TestEdition("kobe", NeutralEdition.INSTANCE.terms());
        editions.install(v1, "1.0.0");
        editions.install(v2, "1.1.0");
        assertThat(editions.of(Optional.of("kobe"))).isSameAs(v2);
        editions.remove(v1);
        assertThat(editions.installed()).singleElement().satisfies(i -> assertThat(i.version()).isEqualTo("1.1.0"));
        editions.remove(v2);
        assertThat(editions.installed()).isEmpty();
        assertThat(editions.of(Optional.of("kobe"))).isSameAs(NeutralEdition.INSTANCE);
    }

    @Test
    void aBadEditionIsRefusedNamingItsClass() {
        Editions editions = new Editions();
        assertThatThrownBy(() -> editions.install(new TestEdition("Kobe!", NeutralEdition.INSTANCE.terms()), "1"))
                .hasMessageContaining("TestEdition").hasMessageContaining("Kobe!");
        assertThatThrownBy(() -> editions.install(new TestEdition(NeutralEdition.ID, NeutralEdition.INSTANCE.terms()), "1"))
                .hasMessageContaining("neutral default");
        assertThatThrownBy(() -> editions.install(new TestEdition("kobe", null), "1")).hasMessageContaining("terms()");
        assertThat(editions.installed()).isEmpty();
    }

    @Test
    void brandValuesAreCheckedWhenMade() {
        assertThatThrownBy(() -> new Brand.MailTemplate("お客様各位", "{desk} {phnoe}")).hasMessageContaining("{phnoe}");
        Brand n = NeutralEdition.INSTANCE.brand();
        assertThatThrownBy(() -> new Brand(n.service(), n.company(), "<svg onload=\"alert(1)\"></svg>", n.colours(), n.sender(),
                n.mail(), Optional.empty(), List.of(), Optional.empty())).hasMessageContaining("SVG");
        assertThatThrownBy(() -> new Brand(n.service(), n.company(), n.logoSvg(), n.colours(), n.sender(), n.mail(), Optional.empty(),
                List.of(), Optional.of("T123"))).hasMessageContaining("13 digits");
        assertThatThrownBy(() -> new Names("改行\nあり", "x")).hasMessageContaining("one line");
        assertThatThrownBy(() -> new Brand.Sender("a@b.example\r\nBcc: x@y.example", "x")).hasMessageContaining("not a mail address");
        assertThatThrownBy(() -> new Terms.Desk(new Names("窓口", "desk"), "0", "desk@x.example", LocalTime.of(17, 0), LocalTime.of(9, 0),
                List.of(), 4)).hasMessageContaining("opens before it closes");
        assertThat(Brand.MailTemplate.fill("{desk}（{phone}）{x}", java.util.Map.of("desk", "窓口", "phone", "0120"))).isEqualTo("窓口（0120）{x}");
    }
}
