package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.omamori.notify.Mail;
import org.omamori.notify.OutboxEntry;
import org.omamori.notify.OutboxWorker;
import org.omamori.notify.Recipients;
import org.omamori.notify.SmtpSettings;
import org.omamori.notify.SmtpTransport;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.internet.MimeMessage;

/** The outbox on embedded H2, and the real OutboxWorker sending through it to a real SMTP server (GreenMail). */
class H2OutboxTest extends OutboxContract {

    @RegisterExtension
    static final GreenMailExtension GREEN = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private final H2StoreTest database = new H2StoreTest();

    @Override
    StoreSettings settings() throws Exception {
        return database.settings();
    }

    @Override
    void dispose() throws Exception {
        database.dispose();
    }

    @Test
    void theWorkerDeliversAnEnqueuedMailExactlyOnce() throws Exception {
        Mail mail = new Mail(Recipients.of("soumu@example.co.jp"), "【★★★】重要アラートのお知らせ（1件）", "お助け隊です。\n本文\n");
        UUID id = outbox.enqueue("alerts:c1:worker", mail, T);
        SmtpTransport smtp = new SmtpTransport(SmtpSettings.of("127.0.0.1", GREEN.getSmtp().getPort(), "noreply@omamori.example")
                .withTimeout(Duration.ofSeconds(5)));
        OutboxWorker now = new OutboxWorker(outbox, smtp, Clock.fixed(T.plusSeconds(5), ZoneOffset.UTC), 10);
        // A second node with its own pool on the same database.
        try (Store other = Store.open(settings, Clock.systemUTC())) {
            OutboxWorker otherNode = new OutboxWorker(other.outbox(LEASE), smtp, Clock.fixed(T.plusSeconds(5), ZoneOffset.UTC), 10);
            assertThat(now.runOnce() + otherNode.runOnce()).isEqualTo(1);
            assertThat(now.runOnce() + otherNode.runOnce()).isZero();
            OutboxWorker tomorrow = new OutboxWorker(outbox, smtp, Clock.fixed(T.plus(Duration.ofDays(1)), ZoneOffset.UTC), 10);
            assertThat(tomorrow.runOnce()).as("sent: never due again").isZero();
        }
        MimeMessage[] got = GREEN.getReceivedMessages();
        assertThat(got).hasSize(1);
        assertThat(got[0].getMessageID()).isEqualTo("<" + id + "@omamori.example>");
        assertThat(got[0].getSubject()).isEqualTo(mail.subject());
        assertThat(column(id, "state", String.class)).isEqualTo("SENT");
        assertThat(outbox.due(T.plus(Duration.ofDays(2)), 10)).extracting(OutboxEntry::id).doesNotContain(id);
    }
}
