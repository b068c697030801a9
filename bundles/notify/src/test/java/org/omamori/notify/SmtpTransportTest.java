package org.omamori.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omamori.notify.Alerts.T0;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/** Sending through a real SMTP server (GreenMail), and through one that answers with chosen codes. */
class SmtpTransportTest {

    @RegisterExtension
    static final GreenMailExtension GREEN = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("omamori", "s3cret-パス"));

    final Recipients to = Recipients.of("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp");

    SmtpSettings settings() {
        return SmtpSettings.of("127.0.0.1", GREEN.getSmtp().getPort(), "noreply@omamori.example")
                .withFromName("サイバーセキュリティお助け隊").withTimeout(Duration.ofSeconds(5));
    }

    OutboxEntry threeAlerts() {
        AlertBatch batch = AlertBatch.due(List.of(Alerts.pending("c1", Alerts.virusNeutralised(T0), T0),
                Alerts.pending("c1", Alerts.c2(T0.plusSeconds(90)), T0.plusSeconds(90)),
                Alerts.pending("c1", Alerts.newDomain(T0.plusSeconds(200)), T0.plusSeconds(200))), T0.plus(AlertBatch.WINDOW),
                AlertBatch.WINDOW).getFirst();
        return OutboxEntry.of(batch.key(), AlertMail.compose(Brand.standard(), to, batch), T0.plus(AlertBatch.WINDOW));
    }

    static String raw(MimeMessage m) throws Exception {
        var out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void threeAlertsArriveAsOneJapaneseMailWithTheHighestStarsInTheSubject() throws Exception {
        OutboxEntry e = threeAlerts();
        assertThat(new SmtpTransport(settings()).send(e)).isEqualTo(new SendResult.Sent(List.of()));

        MimeMessage[] got = GREEN.getReceivedMessages();
        assertThat(got).hasSize(3); // one copy per recipient mailbox, one mail
        assertThat(Arrays.stream(got).map(m -> {
            try {
                return m.getMessageID();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }).distinct()).containsExactly("<" + e.id() + "@omamori.example>");
        MimeMessage m = got[0];
        assertThat(m.getSubject()).isEqualTo("【★★★】サイバーセキュリティお助け隊 重要アラートのお知らせ（3件）");
        assertThat(m.getHeader("Subject", null)).startsWith("=?UTF-8?").doesNotContain("★");
        assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Address::toString))
                .containsExactly("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp");
        assertThat(m.getFrom()[0].toString()).contains("=?UTF-8?").contains("<noreply@omamori.example>");
        assertThat(m.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(m.getEncoding()).isEqualTo("base64");
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
        String body = ((String) m.getContent()).replace("\r\n", "\n");
        assertThat(body).isEqualTo(e.mail().body()).contains("※調査中※", "ネットワークから切り離し",
                "本社 1F (0a1b2c3d4e5f)", "2026/11/23 10:00（日本時間）");
        // Nothing but ASCII goes on the wire.
        String wire = raw(m);
        assertThat(wire.chars().allMatch(c -> c < 128)).isTrue();
    }

    @Test
    void theMessageIdIsTheSameOnEveryAttemptOfAnEntry() throws Exception {
        OutboxEntry e = threeAlerts();
        SmtpTransport t = new SmtpTransport(settings());
        t.send(e);
        t.send(new OutboxEntry(e.id(), e.key(), e.mail(), e.created(), 1));
        MimeMessage[] got = GREEN.getReceivedMessages();
        assertThat(got).hasSize(6);
        assertThat(Arrays.stream(got).map(m -> {
            try {
                return m.getMessageID();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }).distinct()).hasSize(1);
    }

    @Test
    void aLoginWithTheConfiguredUserSendsAndAWrongPasswordIsRetryable() {
        SendResult ok = new SmtpTransport(settings().withLogin("omamori", "s3cret-パス")).send(threeAlerts());
        assertThat(ok).isInstanceOf(SendResult.Sent.class);
        SendResult bad = new SmtpTransport(settings().withLogin("omamori", "wrong")).send(threeAlerts());
        assertThat(bad).isInstanceOfSatisfying(SendResult.Retry.class,
                r -> assertThat(r.reason()).contains("login failed").doesNotContain("wrong"));
    }

    @Test
    void thePasswordNeverShowsInTheSettings() {
        SmtpSettings s = settings().withLogin("omamori", "s3cret-パス");
        assertThat(s.toString()).contains("user=omamori", "password=***").doesNotContain("s3cret");
    }

    @Test
    void starttlsRequiredAgainstAServerWithoutItIsRetryableNotSentInTheClear() {
        // GreenMail 2.1 offers no STARTTLS on SMTP (only implicit-TLS SMTPS): required must refuse to
        // go on in the clear, optional goes on.
        SendResult r = new SmtpTransport(settings().withStarttls(SmtpSettings.Starttls.REQUIRED)).send(threeAlerts());
        assertThat(r).isInstanceOfSatisfying(SendResult.Retry.class, x -> assertThat(x.reason()).containsIgnoringCase("STARTTLS"));
        assertThat(GREEN.getReceivedMessages()).isEmpty();
        assertThat(new SmtpTransport(settings().withStarttls(SmtpSettings.Starttls.OPTIONAL)).send(threeAlerts()))
                .isInstanceOf(SendResult.Sent.class);
    }

    @Test
    void aPortWithNothingListeningIsRetryable() throws IOException {
        int port;
        try (var s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SendResult r = new SmtpTransport(SmtpSettings.of("127.0.0.1", port, "noreply@omamori.example")).send(threeAlerts());
        assertThat(r).isInstanceOf(SendResult.Retry.class);
    }

    @Test
    void fourHundredRepliesAreRetryableAndFiveHundredRepliesAreRefused() throws IOException {
        try (var smtp = new ScriptedSmtp()) {
            SmtpTransport t = new SmtpTransport(SmtpSettings.of("127.0.0.1", smtp.port(), "noreply@omamori.example")
                    .withStarttls(SmtpSettings.Starttls.OFF));
            assertThat(t.send(threeAlerts())).isInstanceOf(SendResult.Sent.class);

            smtp.mailReply = "421 4.7.0 too busy, try later";
            assertThat(t.send(threeAlerts())).isInstanceOfSatisfying(SendResult.Retry.class,
                    r -> assertThat(r.reason()).startsWith("SMTP 421"));
            smtp.mailReply = "250 OK";

            smtp.rcptReply = a -> "450 4.2.1 mailbox busy";
            assertThat(t.send(threeAlerts())).isInstanceOfSatisfying(SendResult.Retry.class,
                    r -> assertThat(r.reason()).startsWith("SMTP 450").contains("mailbox busy"));

            smtp.rcptReply = a -> "550 5.1.1 no such user";
            assertThat(t.send(threeAlerts())).isInstanceOfSatisfying(SendResult.Refused.class,
                    r -> assertThat(r.reason()).startsWith("SMTP 550").contains("no such user"));

            smtp.rcptReply = a -> a.contains("shacho") ? "550 5.1.1 no such user" : "250 OK";
            assertThat(t.send(threeAlerts())).isInstanceOfSatisfying(SendResult.Sent.class,
                    s -> assertThat(s.rejected()).containsExactly("shacho@example.co.jp"));

            smtp.rcptReply = a -> "250 OK";
            smtp.dataReply = "554 5.7.1 message refused";
            assertThat(t.send(threeAlerts())).isInstanceOfSatisfying(SendResult.Refused.class,
                    r -> assertThat(r.reason()).startsWith("SMTP 554"));

            smtp.dataReply = "451 4.3.0 local error, try later";
            assertThat(t.send(threeAlerts())).isInstanceOf(SendResult.Retry.class);
        }
    }
}
