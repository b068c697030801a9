package org.omamori.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.omamori.notify.Alerts.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.Grade;
import org.omamori.grading.Resolution;

class AlertMailTest {

    final Brand brand = Brand.standard();
    final Recipients to = Recipients.of("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp");

    @Test
    void alertsOfOneCustomerWithinTheWindowGoInOneMailOnceTheFirstHasWaited() {
        List<PendingAlert> pending = List.of(
                Alerts.pending("c1", Alerts.virusNeutralised(T0), T0),
                Alerts.pending("c1", Alerts.c2(T0.plusSeconds(60)), T0.plusSeconds(60)),
                Alerts.pending("c1", Alerts.unscanned(T0.plusSeconds(240)), T0.plusSeconds(240)),
                Alerts.pending("c2", Alerts.unscanned(T0.plusSeconds(200)), T0.plusSeconds(200)));

        assertThat(AlertBatch.due(pending, T0.plus(Duration.ofMinutes(4)), AlertBatch.WINDOW)).isEmpty();
        List<AlertBatch> due = AlertBatch.due(pending, T0.plus(AlertBatch.WINDOW), AlertBatch.WINDOW);
        assertThat(due).singleElement().satisfies(b -> {
            assertThat(b.customer()).isEqualTo("c1");
            assertThat(b.alerts()).hasSize(3);
            assertThat(b.highest()).isEqualTo(Grade.HIGH);
        });
        assertThat(AlertBatch.due(pending, T0.plusSeconds(200).plus(AlertBatch.WINDOW), AlertBatch.WINDOW)).hasSize(2);
    }

    @Test
    void theSubjectShowsTheHighestStarsAndTheCount() {
        AlertBatch batch = new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.virusNeutralised(T0), T0),
                Alerts.pending("c1", Alerts.c2(T0.plusSeconds(60)), T0), Alerts.pending("c1", Alerts.unscanned(T0), T0)));
        Mail m = AlertMail.compose(brand, to, batch);
        assertThat(m.subject()).isEqualTo("【★★★】サイバーセキュリティお助け隊 重要アラートのお知らせ（3件）");
        assertThat(m.to().addresses()).hasSize(3);
    }

    @Test
    void theBodyNamesApplianceHostTimeInJapanWhatWasSeenAndWhatToDo() {
        Mail m = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.c2(T0), T0))));
        assertThat(m.body()).contains("本社 1F (0a1b2c3d4e5f)", "192.168.1.23 (00:1a:2b:3c:4d:5e)",
                "2026/11/23 10:00（日本時間）", "OMAMORI C2 beacon POST to /c2/beacon", "http://198.51.100.9/c2/beacon",
                "遮断しました", "ネットワークから切り離し", "フルスキャンを実行してください", "重要度: ★★★(高)",
                "[EN] high (★★★)", "https://portal.omamori.example/");
        Alert alert = Alerts.c2(T0);
        Mail linked = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", alert, T0))));
        assertThat(linked.body()).contains("ポータルで詳細を見る: https://portal.omamori.example/alerts/" + alert.id());
        assertThat(m.body().indexOf("お客様にお願いしたい対応")).isLessThan(m.body().indexOf("[EN]"));
    }

    @Test
    void underInvestigationAlertsAreMarkedAndPromiseAFollowUpReport() {
        Mail m = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.newDomain(T0), T0))));
        assertThat(m.subject()).isEqualTo("【※調査中※】サイバーセキュリティお助け隊 重要アラートのお知らせ（1件）");
        assertThat(m.body()).contains("※調査中※", "調査報告をこのメールの宛先にお送りします", "x7f3.newly-seen.cloud");

        Mail mixed = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.newDomain(T0), T0),
                Alerts.pending("c1", Alerts.virusNeutralised(T0), T0))));
        assertThat(mixed.subject()).startsWith("【★☆☆】");
    }

    @Test
    void theOpeningSaysAsMuchUrgencyAsTheHighestStarsCarry() {
        Mail high = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.c2(T0), T0),
                Alerts.pending("c1", Alerts.virusNeutralised(T0), T0))));
        assertThat(high.body()).contains("緊急性が高いと判断した通信を 2 件", "至急");
        Mail medium = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.unscanned(T0), T0))));
        assertThat(medium.body()).contains("対応が必要と判断した通信を 1 件").doesNotContain("緊急性が高い", "至急");
        Mail low = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.virusNeutralised(T0), T0))));
        assertThat(low.subject()).startsWith("【★☆☆】");
        assertThat(low.body()).contains("注意が必要な通信を 1 件", "緊急の対応は必要ありません").doesNotContain("緊急性が高い", "至急");
        Mail investigating = AlertMail.compose(brand, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.newDomain(T0), T0))));
        assertThat(investigating.body()).contains("現在調査中です").doesNotContain("緊急性が高い", "至急");
    }

    @Test
    void aResellerBrandNamesTheServiceInSubjectAndBody() {
        Brand reseller = new Brand("セキュリティお助けパック", "サポートセンター 0120-000-000", "https://portal.example.jp/");
        Mail m = AlertMail.compose(reseller, to, new AlertBatch("c1", List.of(Alerts.pending("c1", Alerts.c2(T0), T0))));
        assertThat(m.subject()).isEqualTo("【★★★】セキュリティお助けパック 重要アラートのお知らせ（1件）");
        assertThat(m.body()).contains("サポートセンター 0120-000-000").doesNotContain("お助け隊 相談窓口");
    }

    @Test
    void theFollowUpReportTellsTheOutcomeOfTheInvestigation() {
        Alert investigated = Alerts.newDomain(T0);
        Resolution confirmed = new Resolution(investigated.withGrade(Grade.HIGH), Resolution.Outcome.CONFIRMED,
                Optional.of("c2-outbound"), Optional.empty(), T0.plus(Duration.ofHours(3)));
        Mail c = AlertMail.followUp(brand, to, Alerts.HONSHA, confirmed);
        assertThat(c.subject()).isEqualTo("【調査報告 ★★★】サイバーセキュリティお助け隊 調査中アラートの調査結果のお知らせ");
        assertThat(c.body()).contains("脅威を確認しました", "2026/11/23 13:00", "x7f3.newly-seen.cloud", "フルスキャン");

        Resolution benign = new Resolution(investigated.withGrade(Grade.NONE), Resolution.Outcome.BENIGN, Optional.empty(),
                Optional.empty(), T0.plus(Duration.ofHours(3)));
        Mail b = AlertMail.followUp(brand, to, Alerts.HONSHA, benign);
        assertThat(b.subject()).isEqualTo("【調査報告】サイバーセキュリティお助け隊 調査中アラートの調査結果のお知らせ");
        assertThat(b.body()).contains("問題は見つかりませんでした", "対応は不要です");

        Resolution still = new Resolution(investigated, Resolution.Outcome.STILL_UNDER_INVESTIGATION, Optional.empty(),
                Optional.empty(), T0);
        assertThatThrownBy(() -> AlertMail.followUp(brand, to, Alerts.HONSHA, still)).hasMessageContaining("still under investigation");
    }

    @Test
    void accessLogsAndSuppressedAlertsAreNeverMailed() {
        Alert log = Alerts.accessLog(T0);
        assertThatThrownBy(() -> Alerts.pending("c1", log, T0)).hasMessageContaining("access logs are never mailed");
        assertThat(PendingAlert.of("c1", Alerts.HONSHA, new AlertChange(AlertChange.Type.OPENED, log), T0)).isEmpty();
        Alert c2 = Alerts.c2(T0);
        Alert suppressed = new Alert(c2.id(), c2.rule(), c2.grade(), false, c2.host(), c2.facts(), c2.first(), c2.last(),
                1, List.of(), Optional.of("s-1 (社内の検査サーバ)"));
        assertThatThrownBy(() -> Alerts.pending("c1", suppressed, T0)).hasMessageContaining("suppressed");
        assertThat(PendingAlert.of("c1", Alerts.HONSHA, new AlertChange(AlertChange.Type.REPEATED, c2), T0)).isEmpty();
        assertThat(PendingAlert.of("c1", Alerts.HONSHA, new AlertChange(AlertChange.Type.OPENED, c2), T0)).isPresent();
    }

    @Test
    void atMostThreeRecipientsAndEachMustBeAnAddress() {
        assertThatThrownBy(() -> Recipients.of("a@example.jp", "b@example.jp", "c@example.jp", "d@example.jp"))
                .hasMessageContaining("too many alert mail addresses: 4 given, at most 3");
        assertThatThrownBy(() -> Recipients.of()).hasMessageContaining("give 1 to 3");
        assertThatThrownBy(() -> Recipients.of("a@example.jp", "soumu")).hasMessageContaining("address 2 is not a mail address");
        assertThatThrownBy(() -> Recipients.of("a@example.jp", "A@example.jp")).hasMessageContaining("given twice");
    }

    @Test
    void oneMailNeverMixesCustomersAndItsKeyIsStable() {
        assertThatThrownBy(() -> new AlertBatch("c1", List.of(Alerts.pending("c2", Alerts.c2(T0), T0))))
                .hasMessageContaining("never mixes customers");
        List<PendingAlert> two = List.of(Alerts.pending("c1", Alerts.c2(T0), T0), Alerts.pending("c1", Alerts.unscanned(T0.plusSeconds(1)), T0));
        assertThat(new AlertBatch("c1", two).key()).isEqualTo(new AlertBatch("c1", two.reversed()).key());
    }

    @Test
    void aFloodIsListedUpToTheLimitAndTheRestLeftToThePortal() {
        Instant t = T0;
        var many = new java.util.ArrayList<PendingAlert>();
        for (int i = 0; i < AlertMail.MAX_LISTED + 5; i++) {
            many.add(Alerts.pending("c1", Alerts.unscanned(t.plusSeconds(i)), t));
        }
        Mail m = AlertMail.compose(brand, to, new AlertBatch("c1", many));
        assertThat(m.subject()).endsWith("（35件）");
        assertThat(m.body()).contains("ほか 5 件のアラートはポータルでご確認ください");
    }
}
