package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.config.PemTrust;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * TLS towards the next hop. The next hop that offers STARTTLS is a second intake (with its own
 * self-signed certificate) in front of GreenMail; its Received field says whether the mail came
 * to it under TLS ({@code with ESMTPS}).
 */
class HopTlsTest {

    @TempDir
    static Path home;
    @TempDir
    Path dir;
    static GreenMail office;
    static InspectionPipeline pipeline;
    /** The next hop with STARTTLS. */
    static SmtpIntake tlsHop;
    static Path hopCertificate;
    SmtpIntake intake;

    @BeforeAll
    static void start() throws Exception {
        office = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        office.start();
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        SmtpCertificate cert = SmtpCertificate.at(home.resolve("tls/hop.p12")).ensure("mail.example.jp");
        tlsHop = SmtpIntake.start(SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/lan")),
                        SmtpListener.parse("127.0.0.1:" + office.getSmtp().getPort() + "/lan"),
                        new RelayPolicy(List.of("example.jp"), List.of()), home.resolve("hop-spool")).withTls(cert.context()),
                pipeline, new EventFactory(new ApplianceId("00a0de000002")), EventSink.NONE);
        hopCertificate = pem(cert, home.resolve("hop.pem"));
    }

    static Path pem(SmtpCertificate cert, Path out) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(cert.keyStore())) {
            ks.load(in, Files.readString(cert.passwordFile()).strip().toCharArray());
        }
        byte[] der = ks.getCertificate("smtp").getEncoded();
        Files.writeString(out, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n");
        return out;
    }

    @AfterAll
    static void stop() {
        tlsHop.close();
        pipeline.close();
        office.stop();
    }

    @BeforeEach
    void purge() throws Exception {
        office.purgeEmailFromAllMailboxes();
    }

    @AfterEach
    void close() {
        if (intake != null) {
            intake.close();
        }
    }

    InetSocketAddress intake(int hopPort, HopTls tls) throws Exception {
        intake = SmtpIntake.start(SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                        SmtpListener.parse("127.0.0.1:" + hopPort + "/lan"), new RelayPolicy(List.of("example.jp"), List.of()),
                        dir.resolve("spool")).withHopTls(tls),
                pipeline, new EventFactory(new ApplianceId("00a0de000001")), EventSink.NONE);
        return intake.addresses().get(0);
    }

    static String send(InetSocketAddress at) throws Exception {
        try (SmtpClient c = new SmtpClient(at)) {
            c.reply();
            c.command("EHLO client.sender.example");
            c.command("MAIL FROM:<taro@sender.example>");
            String r = c.command("RCPT TO:<hanako@example.jp>");
            if (!r.startsWith("250")) {
                return r;
            }
            c.command("DATA");
            c.send("Subject: tls\r\n\r\nbody\r\n.\r\n");
            return c.reply();
        }
    }

    static String received() throws Exception {
        assertThat(office.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage m = office.getReceivedMessages()[0];
        return String.join("\n", m.getHeader("Received"));
    }

    int hopPort() {
        return tlsHop.addresses().get(0).getPort();
    }

    @Test
    void opportunisticUsesStartTlsWhenOffered() throws Exception {
        assertThat(send(intake(hopPort(), HopTls.OPPORTUNISTIC))).startsWith("250 2.0.0");
        assertThat(received()).contains("by omamori.local (Omamori) with ESMTPS");
    }

    @Test
    void opportunisticSpeaksPlainToAHopWithoutStartTls() throws Exception {
        assertThat(send(intake(office.getSmtp().getPort(), HopTls.OPPORTUNISTIC))).startsWith("250 2.0.0");
        assertThat(office.waitForIncomingEmail(5000, 1)).isTrue();
    }

    @Test
    void offNeverUsesStartTls() throws Exception {
        assertThat(send(intake(hopPort(), HopTls.OFF))).startsWith("250 2.0.0");
        assertThat(received()).contains("with ESMTP;").doesNotContain("ESMTPS");
    }

    @Test
    void requiredChecksTheCertificateAgainstThePemTrust() throws Exception {
        HopTls trusted = new HopTls(HopTls.Mode.REQUIRED, Optional.of(PemTrust.context(hopCertificate, "TLS")));
        assertThat(send(intake(hopPort(), trusted))).startsWith("250 2.0.0");
        assertThat(received()).contains("with ESMTPS");
    }

    @Test
    void requiredRefusesAnUnknownCertificateAndAHopWithoutStartTls() throws Exception {
        SmtpCertificate other = SmtpCertificate.at(dir.resolve("other.p12")).ensure("other.example");
        HopTls wrong = new HopTls(HopTls.Mode.REQUIRED, Optional.of(PemTrust.context(pem(other, dir.resolve("other.pem")), "TLS")));
        assertThat(send(intake(hopPort(), wrong))).startsWith("451 4.4.1");
        intake.close();
        HopTls trusted = new HopTls(HopTls.Mode.REQUIRED, Optional.of(PemTrust.context(hopCertificate, "TLS")));
        assertThat(send(intake(office.getSmtp().getPort(), trusted))).startsWith("451 4.4.1");
        assertThat(office.waitForIncomingEmail(500, 1)).isFalse();
    }
}
