package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** STARTTLS with the appliance's own (self-signed, made by keytool) certificate; TLS 1.2 and 1.3 only. */
class StartTlsTest {

    @TempDir
    static Path home;
    static GreenMail office;
    static InspectionPipeline pipeline;
    static SmtpIntake intake;
    static InetSocketAddress address;
    static final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        office = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        office.start();
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        SmtpCertificate cert = SmtpCertificate.at(home.resolve("tls/smtp.p12")).ensure("mx.example.jp");
        SmtpSettings s = SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                SmtpListener.parse("127.0.0.1:" + office.getSmtp().getPort() + "/lan"),
                new RelayPolicy(List.of("example.jp"), List.of()), home.resolve("spool"))
                .withTls(cert.context()).withIdleTimeout(Duration.ofSeconds(20));
        intake = SmtpIntake.start(s, pipeline, new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
        address = intake.addresses().get(0);
    }

    @AfterAll
    static void stop() {
        intake.close();
        pipeline.close();
        office.stop();
    }

    @Test
    void mailOverStartTls() throws Exception {
        try (SmtpClient c = new SmtpClient(address)) {
            c.reply();
            assertThat(c.command("EHLO x.example")).contains("STARTTLS");
            assertThat(c.command("STARTTLS")).startsWith("220");
            assertThat(c.startTls()).isIn("TLSv1.3", "TLSv1.2");
            String ehlo = c.command("EHLO x.example");
            assertThat(ehlo).doesNotContain("STARTTLS");
            assertThat(c.command("MAIL FROM:<a@sender.example>")).startsWith("250");
            assertThat(c.command("RCPT TO:<hanako@example.jp>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.send("Subject: tls\r\n\r\nover TLS\r\n.\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
        assertThat(office.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(String.join("\n", office.getReceivedMessages()[0].getHeader("Received"))).contains("with ESMTPS");
    }

    @Test
    void mailBeforeEhloAgainIsRefusedAfterStartTls() throws Exception {
        try (SmtpClient c = new SmtpClient(address)) {
            c.reply();
            c.command("EHLO x.example");
            c.command("STARTTLS");
            c.startTls();
            assertThat(c.command("MAIL FROM:<a@sender.example>")).startsWith("503"); // RFC 3207: state is reset
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        try (SmtpClient c = new SmtpClient(address)) {
            c.reply();
            c.command("EHLO x.example");
            c.command("STARTTLS");
            assertThatThrownBy(() -> c.startTls("TLSv1.1")).isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    @Test
    void commandsInjectedAfterStartTlsCloseTheConnection() throws Exception {
        try (SmtpClient c = new SmtpClient(address)) {
            c.reply();
            c.command("EHLO x.example");
            // CVE-2011-0411: plaintext sent with STARTTLS must not be run as if it came under TLS.
            c.send("STARTTLS\r\nMAIL FROM:<a@sender.example>\r\n");
            assertThat(c.reply()).startsWith("554 5.5.0");
            assertThat(c.closed()).isTrue();
        }
    }
}
