package org.omamori.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.omamori.events.ApplianceId;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.internet.MimeMessage;

class FaultMailTest {

    @RegisterExtension
    static final GreenMailExtension GREEN = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final Instant SINCE = Instant.parse("2026-11-23T01:05:00Z"); // 10:05 JST
    final Recipients to = Recipients.of("soumu@example.co.jp", "it@example.co.jp");
    final ApplianceRef office = new ApplianceRef(new ApplianceId("0a1b2c3d4e5f"), "本社 1F");

    static Fault mailOutage() {
        return new Fault(Fault.Level.A, Fault.Component.MAIL, SINCE, Optional.empty(), Optional.empty());
    }

    @Test
    void aMailOutageNoticeSaysWhatTheCustomerMayNoticeJapaneseFirst() {
        Mail m = FaultMail.compose(Brand.standard(), to, mailOutage());
        assertThat(m.subject()).isEqualTo("【障害のお知らせ】サイバーセキュリティお助け隊 アラートメール送信の遅延（障害レベルA）");
        assertThat(m.body()).startsWith("お客様各位")
                .contains("障害レベル: A（本サービスの主たる機能の提供ができない障害）",
                        "影響範囲: 本サービスをご利用のすべてのお客様",
                        "発生日時: 2026/11/23 10:05（日本時間）",
                        "メールが遅れて届きます", "お助け隊 相談窓口", "[EN] Level A fault (alert mail delayed)")
                .doesNotContain("Exception", "smtp");
        assertThat(m.body().indexOf("[EN]")).isGreaterThan(m.body().indexOf("お客様への影響"));
        assertThat(m.to()).isEqualTo(to);
    }

    @Test
    void theRecoveryMailSaysWhenItEndedAndHowLongItLasted() {
        Fault f = mailOutage().recoveredAt(SINCE.plus(Duration.ofMinutes(95)));
        Mail m = FaultMail.compose(Brand.standard(), to, f);
        assertThat(m.subject()).isEqualTo("【復旧のお知らせ】サイバーセキュリティお助け隊 アラートメール送信の遅延（障害レベルA）");
        assertThat(m.body()).contains("復旧しました", "復旧日時: 2026/11/23 11:40（日本時間）", "約 1時間35分", "順次お送りしています");
    }

    @Test
    void anApplianceFaultNamesTheApplianceAndTheReplacement() {
        Fault f = new Fault(Fault.Level.B, Fault.Component.APPLIANCE, SINCE, Optional.empty(), Optional.of(office));
        Mail m = FaultMail.compose(Brand.standard(), to, f);
        assertThat(m.subject()).contains("【障害のお知らせ】", "UTM 装置の障害（本社 1F）", "障害レベルB");
        assertThat(m.body()).contains("影響範囲: お客様の UTM 装置 本社 1F (0a1b2c3d4e5f)", "代替品", "[EN] Level B fault (appliance 0a1b2c3d4e5f)");
        assertThatThrownBy(() -> new Fault(Fault.Level.B, Fault.Component.APPLIANCE, SINCE, Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLevelZFaultIsNeverMailed() {
        Fault z = new Fault(Fault.Level.Z, Fault.Component.SCHEDULER, SINCE, Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> FaultMail.compose(Brand.standard(), to, z)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("level Z");
        assertThat(Fault.Level.Z.notifiesCustomers()).isFalse();
        assertThat(Fault.Level.Z.worse(Fault.Level.A)).isEqualTo(Fault.Level.A);
        assertThat(Fault.Level.B.worse(Fault.Level.Z)).isEqualTo(Fault.Level.B);
    }

    @Test
    void theJapaneseTextSurvivesTheTripThroughSmtp() throws Exception {
        Mail mail = FaultMail.compose(Brand.standard(), to, new Fault(Fault.Level.B, Fault.Component.APPLIANCE, SINCE,
                Optional.empty(), Optional.of(office)));
        OutboxEntry e = OutboxEntry.of("fault:1:7", mail, SINCE);
        SmtpSettings smtp = SmtpSettings.of("127.0.0.1", GREEN.getSmtp().getPort(), "noreply@omamori.example")
                .withTimeout(Duration.ofSeconds(5));
        assertThat(new SmtpTransport(smtp).send(e)).isInstanceOf(SendResult.Sent.class);
        MimeMessage got = GREEN.getReceivedMessages()[0];
        assertThat(got.getSubject()).isEqualTo(mail.subject());
        assertThat(((String) got.getContent()).replace("\r\n", "\n")).isEqualTo(mail.body());
    }
}
