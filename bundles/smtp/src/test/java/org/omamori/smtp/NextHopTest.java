package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** The next hop's answers passed on (codes, not text), its loss during DATA, international mail. */
class NextHopTest {

    @TempDir
    Path spool;
    FakeHop hop;
    SmtpIntake intake;
    final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);

    InetSocketAddress start(int dropAtData) throws IOException {
        hop = new FakeHop(dropAtData);
        intake = SmtpIntake.start(SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                SmtpListener.parse("127.0.0.1:" + hop.port() + "/lan"), new RelayPolicy(List.of("example.jp", "例え.jp"), List.of()),
                spool), pipeline, new EventFactory(new ApplianceId("00a0de000001")), EventSink.NONE);
        return intake.addresses().get(0);
    }

    @AfterEach
    void stop() throws IOException {
        intake.close();
        hop.close();
        pipeline.close();
    }

    @Test
    void unknownRecipientIsRefusedByTheServerThatKnows() throws Exception {
        try (SmtpClient c = new SmtpClient(start(0))) {
            c.reply();
            c.command("EHLO x.example");
            c.command("MAIL FROM:<a@sender.example>");
            String r = c.command("RCPT TO:<unknown@example.jp>");
            assertThat(r).startsWith("550 5.1.1").doesNotContain("no such user here");
            assertThat(c.command("RCPT TO:<hanako@example.jp>")).startsWith("250");
        }
    }

    @Test
    void aHopLostDuringDataIsTriedOnceMoreWithTheEnvelopeReplayed() throws Exception {
        try (SmtpClient c = new SmtpClient(start(1))) {
            c.reply();
            c.command("EHLO x.example");
            c.command("MAIL FROM:<a@sender.example>");
            c.command("RCPT TO:<hanako@example.jp>");
            c.command("DATA");
            c.send("Subject: again\r\n\r\nbody\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        assertThat(hop.connections.get()).isEqualTo(2);
        assertThat(hop.mails).singleElement().satisfies(m -> assertThat(m).contains("Subject: again").contains("by omamori.local"));
    }

    @Test
    void aHopLostBetweenRecipientsIsReopenedWithTheRecipientsTakenSoFar() throws Exception {
        try (SmtpClient c = new SmtpClient(start(0))) {
            c.reply();
            c.command("EHLO x.example");
            c.command("MAIL FROM:<a@sender.example>");
            assertThat(c.command("RCPT TO:<hanako@example.jp>")).startsWith("250");
            assertThat(c.command("RCPT TO:<drop@example.jp>")).startsWith("451 4.4.2");
            assertThat(c.command("RCPT TO:<jiro@example.jp>")).startsWith("250");
            c.command("DATA");
            c.send("Subject: both\r\n\r\nbody\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        assertThat(hop.envelopes).singleElement().isEqualTo(List.of("<hanako@example.jp>", "<jiro@example.jp>"));
    }

    @Test
    void aHopLostTwiceDefersTheMail() throws Exception {
        try (SmtpClient c = new SmtpClient(start(5))) {
            c.reply();
            c.command("EHLO x.example");
            c.command("MAIL FROM:<a@sender.example>");
            c.command("RCPT TO:<hanako@example.jp>");
            c.command("DATA");
            c.send("Subject: lost\r\n\r\nbody\r\n.\r\n");
            assertThat(c.reply()).startsWith("451 4.4.2");
        }
        assertThat(hop.mails).isEmpty();
    }

    @Test
    void internationalMailNeedsSmtpUtf8() throws Exception {
        try (SmtpClient c = new SmtpClient(start(0))) {
            c.reply();
            c.command("EHLO x.example");
            assertThat(c.command("MAIL FROM:<山田@送信.example>")).startsWith("553 5.6.7");
            assertThat(c.command("MAIL FROM:<山田@送信.example> SMTPUTF8 BODY=8BITMIME")).startsWith("250");
            assertThat(c.command("RCPT TO:<花子@例え.jp>")).startsWith("250");
            c.command("DATA");
            c.send("Subject: =?UTF-8?B?5LqI5a6a?=\r\n\r\n本文は UTF-8 です\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        assertThat(hop.mails).singleElement().satisfies(m -> assertThat(m).contains("本文は UTF-8 です"));
    }

    /** One mail in a session of its own; the intake's answer to the data. */
    String mail(InetSocketAddress intake, String subject) throws IOException {
        try (SmtpClient c = new SmtpClient(intake)) {
            c.reply();
            c.command("EHLO x.example");
            c.command("MAIL FROM:<a@sender.example>");
            c.command("RCPT TO:<hanako@example.jp>");
            c.command("DATA");
            c.send("Subject: " + subject + "\r\n\r\nbody\r\n.\r\n");
            return c.reply();
        }
    }

    @Test
    void mailsOneAfterAnotherTakeTheConnectionTheFirstLeft() throws Exception {
        InetSocketAddress at = start(0);
        for (int i = 0; i < 5; i++) {
            assertThat(mail(at, "kept " + i)).startsWith("250 2.0.0");
        }
        // Two mails in one session too.
        try (SmtpClient c = new SmtpClient(at)) {
            c.reply();
            c.command("EHLO x.example");
            for (int i = 0; i < 2; i++) {
                c.command("MAIL FROM:<a@sender.example>");
                c.command("RCPT TO:<jiro@example.jp>");
                c.command("DATA");
                c.send("Subject: same session " + i + "\r\n\r\nbody\r\n.\r\n");
                assertThat(c.reply()).startsWith("250 2.0.0");
            }
        }
        assertThat(hop.connections.get()).isEqualTo(1);
        assertThat(hop.mails).hasSize(7);
        assertThat(hop.envelopes).last().isEqualTo(List.of("<jiro@example.jp>")); // each transaction its own envelope
        intake.close(); // says QUIT on the kept connection
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> hop.open.get() == 0);
    }

    @Test
    void aKeptConnectionTheHopDroppedIsReplacedBeforeAnythingOfTheMailIsSent() throws Exception {
        InetSocketAddress at = start(0);
        assertThat(mail(at, "first")).startsWith("250 2.0.0");
        hop.dropConnections();
        assertThat(mail(at, "second")).startsWith("250 2.0.0");
        assertThat(hop.connections.get()).isEqualTo(2);
        assertThat(hop.mails).hasSize(2).allSatisfy(m -> assertThat(m).containsOnlyOnce("Subject:"));
        assertThat(hop.mails.get(1)).contains("Subject: second");
    }

    @Test
    void theKeptConnectionsAreBoundedAndForgottenWhenIdleOrOld() throws Exception {
        hop = new FakeHop(0);
        intake = SmtpIntake.start(SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                SmtpListener.parse("127.0.0.1:" + hop.port() + "/lan"), new RelayPolicy(List.of("example.jp"), List.of()),
                spool), pipeline, new EventFactory(new ApplianceId("00a0de000001")), EventSink.NONE);
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", hop.port());
        try (HopPool pool = new HopPool(2, 2_000, 10_000, now::get)) {
            for (int i = 0; i < 3; i++) {
                pool.give(NextHop.open(address, "omamori.test", java.time.Duration.ofSeconds(5), HopTls.OFF), pool.now());
            }
            assertThat(pool.size()).isEqualTo(2); // the third said QUIT
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> hop.open.get() == 2);
            HopPool.Taken taken = pool.take();
            assertThat(taken).isNotNull();
            now.set(1_999);
            pool.give(taken.hop(), taken.opened());
            now.set(2_500); // the other one idle for 2.5 units: gone; the given one idle 0.5: kept
            assertThat(pool.take()).isNotNull().extracting(HopPool.Taken::opened).isEqualTo(0L);
            assertThat(pool.take()).isNull();
            pool.give(taken.hop(), taken.opened());
            now.set(10_000); // opened 10 units ago: too old, however recently used
            assertThat(pool.take()).isNull();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> hop.open.get() == 0);
        }
    }
}
