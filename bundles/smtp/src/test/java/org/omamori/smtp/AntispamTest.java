package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFactory;
import org.omamori.events.Result;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** The whole mail to the pipeline's antispam once, and each verdict's effect, with a test engine and GreenMail. */
class AntispamTest {

    static InspectionPipeline pipeline;
    static VerdictEngine engine;
    static GreenMail office;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @TempDir
    Path spool;
    SmtpIntake intake;
    InetSocketAddress address;

    @BeforeAll
    static void engines() {
        engine = new VerdictEngine();
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(engine);
        office = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        office.start();
    }

    @AfterAll
    static void stopEngines() {
        office.stop();
        pipeline.close();
    }

    @BeforeEach
    void start() throws Exception {
        office.purgeEmailFromAllMailboxes();
        events.clear();
        engine.seen.clear();
        SmtpSettings s = SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                SmtpListener.parse("127.0.0.1:" + office.getSmtp().getPort() + "/lan"),
                new RelayPolicy(List.of("example.jp"), List.of()), spool).withIdleTimeout(Duration.ofSeconds(20));
        intake = SmtpIntake.start(s, pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
        address = intake.addresses().get(0);
    }

    @AfterEach
    void stop() {
        intake.close();
    }

    String send(String from, String mail) throws IOException {
        try (SmtpClient c = new SmtpClient(address)) {
            c.reply();
            c.command("EHLO client.sender.example");
            assertThat(c.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<hanako@example.jp>")).startsWith("250");
            assertThat(c.command("RCPT TO:<jiro@example.jp>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.send(mail.replace("\r\n.", "\r\n..") + ".\r\n");
            return c.reply();
        }
    }

    static String mail(String verdict, String subject) {
        return "From: taro@sender.example\r\nTo: hanako@example.jp\r\n" + (subject == null ? "" : "Subject: " + subject + "\r\n")
                + "X-Test-Verdict: " + verdict + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                + "本文です\r\n.dot line\r\n";
    }

    @Test
    void theEngineGetsTheEnvelopeAndTheMailAsReceivedOnce() throws Exception {
        String mail = mail("pass", "hello");
        assertThat(send("taro@sender.example", mail)).startsWith("250 2.0.0");
        assertThat(office.waitForIncomingEmail(5000, 2)).isTrue();
        assertThat(engine.seen).hasSize(1);
        VerdictEngine.Seen seen = engine.seen.get(0);
        assertThat(new String(seen.body(), StandardCharsets.UTF_8)).isEqualTo(mail);
        assertThat(seen.request().method()).isEqualTo("SMTP");
        assertThat(seen.request().functions()).containsExactly(SecurityFunction.ANTISPAM);
        assertThat(seen.request().header(Header.SMTP_HELO)).contains("client.sender.example");
        assertThat(seen.request().header(Header.SMTP_MAIL_FROM)).contains("taro@sender.example");
        assertThat(seen.request().headers().stream().filter(h -> h.is(Header.SMTP_RCPT_TO)).map(Header::value))
                .containsExactly("hanako@example.jp", "jiro@example.jp");
        MimeMessage m = office.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("hello");
        assertThat(m.getHeader("X-Spam-Flag")).isNull();
        await().until(() -> !events.isEmpty());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.ANTISPAM);
            assertThat(e.result()).isEqualTo(Result.PASS);
        });
    }

    @Test
    void aNullSenderIsGivenAsEmpty() throws Exception {
        // GreenMail refuses recipients after MAIL FROM:<>; the scripted hop takes them.
        try (FakeHop hop = new FakeHop(0)) {
            intake.close();
            intake = SmtpIntake.start(SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                    SmtpListener.parse("127.0.0.1:" + hop.port() + "/lan"), new RelayPolicy(List.of("example.jp"), List.of()),
                    spool), pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
            address = intake.addresses().get(0);
            assertThat(send("", mail("none", "bounce"))).startsWith("250 2.0.0");
            assertThat(engine.seen.get(0).request().header(Header.SMTP_MAIL_FROM)).contains("");
            assertThat(hop.mails).hasSize(1);
            assertThat(events).isEmpty();
        }
    }

    @Test
    void neutraliseMarksTheMailAndTagsTheSubjectOutsideEncodedWords() throws Exception {
        assertThat(send("taro@sender.example", mail("neutralise", "=?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?="))).startsWith("250 2.0.0");
        assertThat(office.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage m = office.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo("[SPAM] こんにちは");
        assertThat(m.getHeader("X-Spam-Flag")).containsExactly("YES");
        String status = m.getHeader("X-Spam-Status")[0];
        assertThat(status).startsWith("Yes, score 7.5 / 6, ").doesNotContain("\r").doesNotContain("\n")
                .matches("[\\x20-\\x7e]*");
        assertThat(m.getHeader("X-Injected")).isNull();
        assertThat(GreenMailUtil.getBody(m)).contains(".dot line");
        await().until(() -> !events.isEmpty());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.result()).isEqualTo(Result.NEUTRALISE);
            assertThat(e.ruleName()).isEqualTo("TEST_SPAM");
            String json = new String(EventCodec.toJson(e), StandardCharsets.UTF_8);
            assertThat(json).doesNotContain("本文").doesNotContain("dot line");
        });
    }

    @Test
    void neutraliseAddsASubjectWhenThereIsNone() throws Exception {
        assertThat(send("taro@sender.example", mail("neutralise", null))).startsWith("250 2.0.0");
        assertThat(office.waitForIncomingEmail(5000, 2)).isTrue();
        assertThat(office.getReceivedMessages()[0].getSubject()).isEqualTo("[SPAM]");
    }

    @Test
    void blockRefusesWith550AndDeliversNothing() throws Exception {
        String reply = send("taro@sender.example", mail("block", "buy now"));
        assertThat(reply).startsWith("550 5.7.1").matches("[\\x20-\\x7e]*");
        assertThat(office.waitForIncomingEmail(1000, 1)).isFalse();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.result()).isEqualTo(Result.BLOCK));
        assertThat(spool).isEmptyDirectory();
    }
}
