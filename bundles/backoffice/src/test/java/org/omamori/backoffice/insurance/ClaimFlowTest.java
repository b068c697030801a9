package org.omamori.backoffice.insurance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.edition.matsumoto.MatsumotoEdition;
import org.omamori.edition.osaka.OsakaEdition;

/** The claim flow ①–⑨ end to end, and where it stops. */
class ClaimFlowTest {

    static ZonedDateTime t(String s) {
        return LocalDateTime.parse(s).atZone(ZoneId.of("Asia/Tokyo"));
    }

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void aStarsThreeIncidentRunsToPaymentAndTheRestAboveTheLimitIsTheCustomers() {
        ClaimFlow flow = new ClaimFlow(new MatsumotoEdition());
        Claim c = flow.request(t("2026-09-01T08:00"), true, Optional.empty(), t("2026-09-01T09:00"));
        c = flow.askScan(c, t("2026-09-01T10:00"));
        assertThat(c.state()).isEqualTo(Claim.State.SCAN_ASKED);
        c = flow.scanned(c, "Trojan 1件を駆除、再スキャンで検出なし", t("2026-09-02T10:00"));
        c = flow.listVendors(c, "長野県松本市", t("2026-09-02T11:00"));
        c = flow.schedule(c, "松本ITサポート", d("2026-09-05"), t("2026-09-02T15:00"));
        c = flow.dispatched(c, d("2026-09-05"), d("2026-06-10"), 0, Optional.empty(), t("2026-09-05T18:00"));
        assertThat(c.state()).isEqualTo(Claim.State.DISPATCHED);
        c = flow.reported(c, 66_000, t("2026-09-10T10:00"));
        assertThat(c.paid()).contains(50_000L); // Matsumoto: 50,000 yen per dispatch
        assertThat(ClaimFlow.customersOwn(c)).isEqualTo(16_000);
        c = flow.paid(flow.claim(c, t("2026-09-11T10:00")), t("2026-09-30T10:00"));
        assertThat(c.state()).isEqualTo(Claim.State.PAID);
        assertThat(c.steps()).extracting(Claim.Step::to).containsExactly(Claim.State.REQUESTED, Claim.State.SCAN_ASKED, Claim.State.SCANNED,
                Claim.State.VENDORS_LISTED, Claim.State.SCHEDULED, Claim.State.DISPATCHED, Claim.State.REPORTED, Claim.State.CLAIMED,
                Claim.State.PAID);
    }

    @Test
    void aRaisedStarsTwoClaimCarriesItsScanAndALateDispatchIsRefused() {
        ClaimFlow flow = new ClaimFlow(new OsakaEdition());
        assertThatThrownBy(() -> flow.request(t("2026-09-01T08:00"), false, Optional.empty(), t("2026-09-01T09:00")))
                .isInstanceOf(ContractRuleException.class).hasMessageContaining("full scan");
        Claim c = flow.request(t("2026-09-01T08:00"), false, Optional.of("検出 2件"), t("2026-09-01T09:00"));
        c = flow.askScan(c, t("2026-09-01T10:00"));
        assertThat(c.state()).as("the result came with the request").isEqualTo(Claim.State.SCANNED);
        c = flow.schedule(flow.listVendors(c, "大阪市", t("2026-09-01T11:00")), "大阪駆け付け", d("2026-10-02"), t("2026-09-01T12:00"));
        Claim late = flow.dispatched(c, d("2026-10-02"), d("2026-06-10"), 0, Optional.empty(), t("2026-10-02T18:00"));
        assertThat(late.state()).as("day 31").isEqualTo(Claim.State.REFUSED);
        assertThat(late.steps().getLast().what()).contains("30日以内");
        assertThatThrownBy(() -> flow.reported(late, 10_000, t("2026-10-03T10:00"))).hasMessageContaining("REFUSED");
    }
}
