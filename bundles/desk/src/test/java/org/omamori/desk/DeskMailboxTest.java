package org.omamori.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.omamori.backoffice.desk.TicketState;
import org.omamori.backoffice.edition.Editions;
import org.omamori.edition.vario.VarioEdition;
import org.omamori.notify.OutboxWorker;
import org.omamori.notify.Recipients;
import org.omamori.notify.SmtpSettings;
import org.omamori.notify.SmtpTransport;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;
import org.omamori.store.Tickets;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * The desk end to end on real servers: mails sent over SMTP to a real IMAP mailbox (GreenMail) become
 * tickets in a real store (H2); the answer goes out through the outbox and SMTP in the customer's
 * thread; the customer's reply to it continues the ticket; a stranger naming the ticket cannot.
 */
class DeskMailboxTest {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.SMTP.dynamicPort(),
            ServerSetupTest.IMAP.dynamicPort()});

    static final String DESK = "support@vario.example";
    static final String CUSTOMER = "soumu@customer.example.jp";

    Path dir;
    Store store;
    CustomerId customer;
    Instant now = Instant.parse("2026-06-01T01:00:00Z"); // Monday 10:00 JST
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    Desk desk;
    DeskMailbox mailbox;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("omamori-desk");
        store = Store.open(StoreSettings.h2File(dir.resolve("db")), clock);
        ResellerId reseller = store.tenants().createReseller("バリオ販売店", Optional.of("vario"));
        customer = store.tenants().createCustomer(reseller, "株式会社お客様");
        store.monitoring().recipients(customer, Recipients.of(CUSTOMER));
        Editions editions = new Editions();
        editions.install(new VarioEdition(), "1.0.0");
        desk = new Desk(store.tickets(), editions::of, clock);
        MAIL.setUser(DESK, DESK, "secret");
        mailbox = new DeskMailbox(new DeskMailbox.Settings("127.0.0.1", MAIL.getImap().getPort(), false, DESK, "secret", "INBOX",
                Duration.ofSeconds(5), 100), desk, clock);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    MimeMessage mail(String from, String subject, String body) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
        // Keeps a Message-ID set by the test (a relay delivering the same mail twice).
        MimeMessage m = new MimeMessage(Session.getInstance(p)) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                if (getHeader("Message-ID") == null) {
                    super.updateMessageID();
                }
            }
        };
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, DESK);
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        return m;
    }

    @Test
    void aMailBecomesATicketItsAnswerGoesOutInTheThreadAndTheReplyContinuesIt() throws Exception {
        MimeMessage first = mail(CUSTOMER, "ログインできません", "");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("ポータルにログインできません。", "UTF-8");
        MimeBodyPart log = new MimeBodyPart();
        log.setFileName(jakarta.mail.internet.MimeUtility.encodeText("画面.txt", "UTF-8", "B"));
        log.setContent("エラー画面", "text/plain; charset=UTF-8");
        // (An attachment over the limit is dropped with a note: the store's test; 5 MB through GreenMail takes 25 s.)
        first.setContent(new MimeMultipart(text, log));
        Transport.send(first);

        assertThat(mailbox.readOnce()).isEqualTo(new DeskMailbox.Read(1, 0, 0, 0));
        assertThat(mailbox.readOnce()).as("read mails are not read again").isEqualTo(new DeskMailbox.Read(0, 0, 0, 0));
        Tickets.Stored t = store.tickets().list(TenantScope.customer(customer), false, 10).getFirst();
        assertThat(t.edition()).isEqualTo("vario");
        assertThat(t.ticket().subject()).isEqualTo("ログインできません");
        // Received when the mailbox got it (the server's date), the deadline on Vario's desk calendar.
        assertThat(t.ticket().answerBy()).isEqualTo(new org.omamori.backoffice.desk.DeskDeadlines(new VarioEdition().terms().desk())
                .due(t.ticket().received(), false).answerBy());
        List<Tickets.Message> thread = store.tickets().messages(TenantScope.customer(customer), t.id(), false);
        assertThat(thread.getFirst().body()).contains("ポータルにログインできません。");
        assertThat(thread.getFirst().attachments()).extracting(Tickets.Attachment::name).containsExactly("画面.txt");
        assertThat(thread.getFirst().author()).isEqualTo(CUSTOMER);

        now = now.plus(Duration.ofHours(2));
        desk.answer(TenantScope.operator(), t.id(), "パスワードの再設定をお試しください。", false, "staff");
        SmtpTransport smtp = new SmtpTransport(SmtpSettings.of("127.0.0.1", MAIL.getSmtp().getPort(), "noreply@omamori.example")
                .withTimeout(Duration.ofSeconds(5)));
        assertThat(new OutboxWorker(store.outbox(Duration.ofMinutes(5)), smtp, clock, 10).runOnce()).isEqualTo(1);
        MimeMessage answer = java.util.Arrays.stream(MAIL.getReceivedMessagesForDomain("customer.example.jp")).findFirst().orElseThrow();
        assertThat(answer.getSubject()).isEqualTo("Re: [#" + t.token() + "] ログインできません");
        assertThat(answer.getHeader("In-Reply-To")[0]).isEqualTo(first.getMessageID());
        assertThat(((InternetAddress) answer.getFrom()[0]).getAddress()).isEqualTo(DESK);
        assertThat((String) answer.getContent()).contains("パスワードの再設定をお試しください。", "番号 " + t.token(), "14日後");

        // The customer answers from a mail reader: Re: subject, In-Reply-To our Message-ID.
        now = now.plus(Duration.ofDays(1));
        MimeMessage reply = mail(CUSTOMER, "Re: " + answer.getSubject(), "まだログインできません。");
        reply.setHeader("In-Reply-To", answer.getMessageID());
        reply.setHeader("References", first.getMessageID() + " " + answer.getMessageID());
        Transport.send(reply);
        // A stranger who learnt the token writes into the "thread".
        Transport.send(mail("attacker@evil.example", "Re: [#" + t.token() + "] ログインできません", "振込先が変わりました"));
        assertThat(mailbox.readOnce()).isEqualTo(new DeskMailbox.Read(1, 1, 0, 0));

        Tickets.Stored again = store.tickets().get(TenantScope.customer(customer), t.id()).orElseThrow();
        assertThat(again.ticket().state()).isEqualTo(TicketState.OPEN);
        assertThat(store.tickets().messages(TenantScope.customer(customer), t.id(), false)).extracting(Tickets.Message::body)
                .noneMatch(b -> b.contains("振込先"));
        Tickets.Stored stranger = store.tickets().list(TenantScope.operator(), true, 10).stream().filter(s -> s.customer().isEmpty())
                .findFirst().orElseThrow();
        assertThat(stranger.edition()).isEqualTo("default");
        assertThat(store.tickets().list(TenantScope.customer(customer), false, 10)).hasSize(1);

        // The same mail delivered twice (a relay retried) is one message.
        MimeMessage dup = mail(CUSTOMER, "Re: [#" + t.token() + "] ログインできません", "二通目");
        String id = "<dup-" + t.token() + "@customer.example.jp>";
        dup.setHeader("Message-ID", id);
        Transport.send(dup);
        MimeMessage dup2 = mail(CUSTOMER, "Re: [#" + t.token() + "] ログインできません", "二通目");
        dup2.setHeader("Message-ID", id);
        Transport.send(dup2);
        assertThat(mailbox.readOnce()).isEqualTo(new DeskMailbox.Read(0, 1, 1, 0));

        // Answered again, then nothing for 14 days: closed by itself.
        desk.answer(TenantScope.reseller(again.reseller().orElseThrow()), t.id(), "再設定のリンクをお送りしました。", false, "staff");
        now = now.plus(Duration.ofDays(13));
        assertThat(desk.closeDue()).isZero();
        now = now.plus(Duration.ofDays(1));
        assertThat(desk.closeDue()).isEqualTo(1);
        assertThat(store.tickets().get(TenantScope.operator(), t.id()).orElseThrow().ticket().state()).isEqualTo(TicketState.CLOSED);
    }

    @Test
    void aHostileMailIsBoundedAndNeverBlocksTheOthers() throws Exception {
        MimeMessage m = mail(CUSTOMER, "x\r\n".repeat(3) + "件名", "本文");
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            refs.append("<r").append(i).append("@x> ");
        }
        m.setHeader("References", refs.toString());
        m.setHeader("In-Reply-To", "not an id");
        m.setContent(new MimeMultipart(java.util.stream.IntStream.range(0, 80).mapToObj(i -> {
            try {
                MimeBodyPart b = new MimeBodyPart();
                b.setFileName("f" + i + ".txt");
                b.setContent("x", "text/plain");
                return b;
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toArray(MimeBodyPart[]::new)));
        Transport.send(m);
        Transport.send(mail(CUSTOMER, "普通のお問い合わせ", "よろしくお願いします。"));
        assertThat(mailbox.readOnce().taken()).isEqualTo(2);
        Tickets.Stored hostile = store.tickets().list(TenantScope.customer(customer), false, 10).stream()
                .filter(s -> s.ticket().subject().endsWith("件名")).findFirst().orElseThrow();
        assertThat(hostile.ticket().subject()).doesNotContain("\n", "\r");
        Tickets.Message msg = store.tickets().messages(TenantScope.customer(customer), hostile.id(), false).getFirst();
        assertThat(msg.attachments()).hasSize(Tickets.MAX_ATTACHMENTS);
        assertThat(msg.body()).contains("保存していません");
        assertThat(new String(store.tickets().attachment(TenantScope.customer(customer), hostile.id(), 0, 0).orElseThrow(),
                StandardCharsets.UTF_8)).isEqualTo("x");
    }
}
