package org.omamori.backoffice.notice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.api.edition.Support;
import org.omamori.backoffice.contract.ContractRuleException;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.vario.VarioEdition;

/** Notice periods: a month for maintenance (emergency excepted), 20 days, 30 days, 4 months; the strictest of several editions. */
class NoticeRulesTest {

    final Support.Notices standard = Support.STANDARD.notices();

    @Test
    void plannedMaintenanceNeedsAMonthEmergencyWorkDoesNot() {
        Instant now = Instant.parse("2026-01-31T03:00:00Z"); // 12:00 JST, 31 January
        assertThatThrownBy(() -> NoticeRules.maintenance(now, Instant.parse("2026-02-27T15:00:00Z"), false, standard))
                .isInstanceOf(ContractRuleException.class).hasMessageContaining("2026-02-28T03:00:00Z"); // a month from 31 Jan is 28 Feb
        assertThatCode(() -> NoticeRules.maintenance(now, Instant.parse("2026-02-28T03:00:00Z"), false, standard)).doesNotThrowAnyException();
        assertThatCode(() -> NoticeRules.maintenance(now, Instant.parse("2026-01-31T14:00:00Z"), true, standard)).doesNotThrowAnyException();
    }

    @Test
    void changesTakeEffectAfterTheirPeriods() {
        LocalDate published = LocalDate.parse("2026-03-31");
        assertThat(NoticeRules.effective(NoticeRules.Change.SPEC, published, Optional.empty(), standard)).isEqualTo("2026-04-20");
        assertThat(NoticeRules.effective(NoticeRules.Change.TERMS, published, Optional.empty(), standard)).isEqualTo("2026-04-30");
        assertThat(NoticeRules.effective(NoticeRules.Change.ABOLITION, published, Optional.empty(), standard)).isEqualTo("2026-07-31");
        assertThat(NoticeRules.effective(NoticeRules.Change.TERMS, published, Optional.of(LocalDate.parse("2026-05-01")), standard))
                .isEqualTo("2026-05-01");
        assertThatThrownBy(() -> NoticeRules.effective(NoticeRules.Change.TERMS, published, Optional.of(LocalDate.parse("2026-04-29")), standard))
                .isInstanceOf(ContractRuleException.class).hasMessageContaining("2026-04-30", "30 days");
    }

    @Test
    void severalEditionsKeepTheLongestPeriods() {
        Support.Notices longer = new Support.Notices(2, 10, 60, 3);
        assertThat(NoticeRules.strictest(List.of(standard, longer))).isEqualTo(new Support.Notices(2, 20, 60, 4));
        assertThat(NoticeRules.strictest(List.of())).isEqualTo(standard);
        assertThat(NoticeRules.strictest(List.of(new NiigataEdition().support().notices(), new VarioEdition().support().notices())))
                .isEqualTo(standard);
    }
}
