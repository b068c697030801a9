package org.omamori.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Verdict;

class ReevaluationTest {

    final Traffic traffic = new Traffic();
    final Grader grader = new Grader(StarTable.standard());
    final Reevaluation reevaluation = new Reevaluation(StarTable.standard());
    final Instant later = Traffic.T0.plusSeconds(3 * 3600);

    Alert investigated() {
        Alert a = grader.accept(traffic.dns("x7f3.newly-seen.cloud", Verdict.pass(Traffic.NEW_DOMAIN))).getFirst().alert();
        assertThat(a.underInvestigation()).isTrue();
        return a;
    }

    @Test
    void anAlertUnderInvestigationKeepsWhatReevaluationNeeds() {
        Alert a = investigated();
        assertThat(a.facts().dnsName()).isEqualTo("x7f3.newly-seen.cloud");
        assertThat(a.facts().ruleId()).isEqualTo("sid:2027865");
        assertThat(a.host().toString()).isEqualTo("192.168.1.23 (00:1a:2b:3c:4d:5e)");
        assertThat(a.events()).hasSize(1);
    }

    @Test
    void newerListsNamingTheDomainC2ConfirmItAsThreeStars() {
        Alert a = investigated();

        Resolution r = reevaluation.resolve(a, Traffic.URL, Verdict.block(Traffic.C2_CATEGORY), later);

        assertThat(r.outcome()).isEqualTo(Resolution.Outcome.CONFIRMED);
        assertThat(r.alert().grade()).isEqualTo(Grade.HIGH);
        assertThat(r.alert().id()).isEqualTo(a.id());
        assertThat(r.rule()).contains("c2-communication");
        assertThat(r.mails()).isTrue();
        assertThat(Advice.of(r).ja()).startsWith("調査の結果、重要度: ★★★(高) と判定しました。").contains("192.168.1.23");
    }

    @Test
    void aCleanVerdictResolvesItAsBenign() {
        Alert a = investigated();

        Resolution r = reevaluation.resolve(a, Traffic.URL, Verdict.clean(), later);

        assertThat(r.outcome()).isEqualTo(Resolution.Outcome.BENIGN);
        assertThat(r.alert().grade()).isEqualTo(Grade.NONE);
        assertThat(r.mails()).isTrue();
        assertThat(Advice.of(r).ja()).contains("問題は見つかりませんでした");
        assertThat(reevaluation.resolve(a, Traffic.URL, Verdict.pass(Traffic.NEWS), later).outcome())
                .as("a finding without evidence is benign too").isEqualTo(Resolution.Outcome.BENIGN);
    }

    @Test
    void theMostImportantOfSeveralFindingsDecides() {
        Alert a = investigated();
        Resolution r = reevaluation.resolve(a, Traffic.IPS, List.of(Traffic.NEW_DOMAIN, Traffic.PHISHING, Traffic.NEWS), later);
        assertThat(r.outcome()).isEqualTo(Resolution.Outcome.CONFIRMED);
        assertThat(r.alert().grade()).as("phishing passed at the time").isEqualTo(Grade.LOW);
    }

    @Test
    void stillSuspiciousStaysUnderInvestigationWithoutMail() {
        Resolution r = reevaluation.resolve(investigated(), Traffic.IPS, Verdict.pass(Traffic.NEW_DOMAIN), later);
        assertThat(r.outcome()).isEqualTo(Resolution.Outcome.STILL_UNDER_INVESTIGATION);
        assertThat(r.mails()).isFalse();
    }

    @Test
    void onlyAlertsUnderInvestigationCanBeResolved() {
        Alert c2 = grader.accept(traffic.dns("gate.bad-c2.example", Verdict.block(Traffic.C2_CATEGORY))).getFirst().alert();
        assertThatThrownBy(() -> reevaluation.resolve(c2, Traffic.URL, Verdict.clean(), later))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not under investigation");
    }
}
