package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** The queue for a next hop that is down: taken durably, retried oldest first, returned with a notification. */
class QueueTest {

    /** The real clock, which the test can move forward. */
    static final class MovableClock extends Clock {
        volatile Duration ahead = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    }

    @TempDir
    Path dir;
    final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
    final MovableClock clock = new MovableClock();
    int port;
    SmtpIntake intake;
    FakeHop hop;

    @BeforeEach
    void deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (intake != null) {
            intake.close();
        }
        if (hop != null) {
            hop.close();
        }
        pipeline.close();
    }

    SmtpSettings settings(int maxMails) {
        return SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")), SmtpListener.parse("127.0.0.1:" + port + "/lan"),
                        new RelayPolicy(List.of("example.jp"), List.of()), dir.resolve("spool"))
                .withQueue(new QueueSettings(dir.resolve("queue"), maxMails, 1L << 20, Duration.ofMillis(100),
                        Duration.ofMillis(400), Duration.ofDays(5)));
    }

    InetSocketAddress start(SmtpSettings s) throws IOException {
        intake = SmtpIntake.start(s, pipeline, new EventFactory(new ApplianceId("00a0de000001")), EventSink.NONE, clock);
        return intake.addresses().get(0);
    }

    static String send(InetSocketAddress at, String subject, String... to) throws IOException {
        try (SmtpClient c = new SmtpClient(at)) {
            c.reply();
            c.command("EHLO client.sender.example");
            assertThat(c.command("MAIL FROM:<taro@sender.example>")).startsWith("250");
            for (String rcpt : to) {
                String r = c.command("RCPT TO:<" + rcpt + ">");
                if (!r.startsWith("250")) {
                    return r;
                }
            }
            assertThat(c.command("DATA")).startsWith("354");
            c.send("From: taro@sender.example\r\nSubject: " + subject + "\r\n\r\n" + Mails.MARKER + "\r\n.\r\n");
            return c.reply();
        }
    }

    long files(String suffix) throws IOException {
        try (var s = Files.list(dir.resolve("queue"))) {
            return s.filter(p -> p.toString().endsWith(suffix)).count();
        }
    }

    @Test
    void nextHopDownThenUpDeliversOnceOldestFirst() throws Exception {
        InetSocketAddress at = start(settings(10));
        assertThat(send(at, "first", "hanako@example.jp")).startsWith("250 2.0.0").contains("delivered later");
        assertThat(send(at, "second", "hanako@example.jp", "jiro@example.jp")).startsWith("250 2.0.0");
        assertThat(intake.queued()).isEqualTo(2);
        assertThat(files(".mail")).isEqualTo(2);
        hop = new FakeHop(0, port);
        await().atMost(Duration.ofSeconds(10)).until(() -> hop.mails.size() == 2);
        assertThat(hop.mails.get(0)).contains("Subject: first").contains("by omamori.local (Omamori)");
        assertThat(hop.mails.get(1)).contains("Subject: second");
        assertThat(hop.envelopes.get(1)).containsExactly("<hanako@example.jp>", "<jiro@example.jp>");
        await().until(() -> intake.queued() == 0);
        Thread.sleep(600);
        assertThat(hop.mails).hasSize(2);
        assertThat(files("")).isZero();
    }

    @Test
    void aRecipientRefusedWith5xxIsReturnedToTheSenderWithTheHeadersOnly() throws Exception {
        InetSocketAddress at = start(settings(10));
        assertThat(send(at, "queued", "hanako@example.jp", "unknown@example.jp")).startsWith("250 2.0.0");
        hop = new FakeHop(0, port);
        await().atMost(Duration.ofSeconds(10)).until(() -> hop.mails.size() == 2);
        assertThat(hop.envelopes.get(0)).containsExactly("<hanako@example.jp>");
        String dsn = hop.mails.get(1);
        assertThat(hop.envelopes.get(1)).containsExactly("<taro@sender.example>");
        assertThat(dsn).contains("multipart/report; report-type=delivery-status").contains("To: <taro@sender.example>")
                .contains("Final-Recipient: rfc822; unknown@example.jp").contains("Status: 5.1.1")
                .contains("text/rfc822-headers").contains("Subject: queued").doesNotContain(Mails.MARKER)
                .doesNotContain("hanako@example.jp\r\nAction");
        String text = new String(java.util.Base64.getMimeDecoder().decode(dsn.split("base64\n\n")[1].split("\n--")[0]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).startsWith("【メールを配送できませんでした】").contains("[Your mail could not be delivered]");
        await().until(() -> intake.queued() == 0);
    }

    @Test
    void afterBounceAfterTheMailIsReturned() throws Exception {
        InetSocketAddress at = start(settings(10));
        assertThat(send(at, "late", "hanako@example.jp")).startsWith("250 2.0.0");
        clock.ahead = Duration.ofDays(5).plusMinutes(1);
        hop = new FakeHop(0, port);
        await().atMost(Duration.ofSeconds(10)).until(() -> hop.mails.size() == 1);
        assertThat(hop.mails.get(0)).contains("multipart/report").contains("Final-Recipient: rfc822; hanako@example.jp").contains("Status: 5.4.7")
                .contains("Subject: late").doesNotContain(Mails.MARKER);
        await().until(() -> intake.queued() == 0);
        Thread.sleep(300);
        assertThat(hop.mails).hasSize(1);
    }

    @Test
    void aFullQueueAnswers451() throws Exception {
        InetSocketAddress at = start(settings(1));
        assertThat(send(at, "one", "hanako@example.jp")).startsWith("250 2.0.0");
        assertThat(send(at, "two", "hanako@example.jp")).startsWith("451 4.3.1");
        assertThat(intake.queued()).isEqualTo(1);
    }

    @Test
    void queuedMailsSurviveARestartAndHalfWrittenOnesAreDiscarded() throws Exception {
        InetSocketAddress at = start(settings(10));
        assertThat(send(at, "kept", "hanako@example.jp")).startsWith("250 2.0.0");
        intake.close();
        Files.writeString(dir.resolve("queue").resolve("q-0000000000001-000000.tmp"), "OMAMORI-QUEUE 1\r\nARRIVED 1\r\nMAIL FR");
        hop = new FakeHop(0, port);
        start(settings(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> hop.mails.size() == 1);
        assertThat(hop.mails.get(0)).contains("Subject: kept");
        await().until(() -> intake.queued() == 0);
        assertThat(files(".tmp")).isZero();
    }

    @Test
    void aDamagedQueueFileIsMovedAsideNotDeliveredNorDeleted() throws Exception {
        Files.createDirectories(dir.resolve("queue"));
        Path damaged = dir.resolve("queue").resolve("q-0000000000001-000000.mail");
        Files.writeString(damaged, "OMAMORI-QUEUE 1\r\nARRIVED 1\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@example.jp\r\n\r\nSubject: x\r\n");
        hop = new FakeHop(0, port);
        start(settings(10));
        assertThat(intake.queued()).isZero();
        assertThat(damaged.resolveSibling("q-0000000000001-000000.mail.bad")).exists();
        Thread.sleep(300);
        assertThat(hop.mails).isEmpty();
    }

    @Test
    void withTheHopUpTheAnswerIsStillTheHopsOwn() throws Exception {
        hop = new FakeHop(0, port);
        InetSocketAddress at = start(settings(10));
        assertThat(send(at, "direct", "hanako@example.jp")).startsWith("250 2.0.0 Message accepted for delivery");
        assertThat(send(at, "refused", "unknown@example.jp")).startsWith("550 5.1.1");
        assertThat(hop.mails).hasSize(1);
        assertThat(intake.queued()).isZero();
    }
}
