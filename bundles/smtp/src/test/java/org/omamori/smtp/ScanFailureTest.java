package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFactory;
import org.omamori.events.Result;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** clamd unreachable: the antivirus' failure policy decides (open: delivered, not scanned; closed: 451, sender retries). */
class ScanFailureTest {

    @TempDir
    Path spool;
    GreenMail office;
    final List<Event> events = new CopyOnWriteArrayList<>();
    InspectionPipeline pipeline;
    AvEngine av;
    SmtpIntake intake;

    @BeforeEach
    void office() {
        office = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        office.start();
    }

    @AfterEach
    void stop() {
        intake.close();
        pipeline.close();
        av.close();
        office.stop();
    }

    InetSocketAddress start(boolean failOpen) throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        av = new AvEngine("test", new AvSettings(new ClamdAddress("127.0.0.1", dead), failOpen, 64L << 20, Duration.ofSeconds(5), 4));
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(av);
        intake = SmtpIntake.start(SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                SmtpListener.parse("127.0.0.1:" + office.getSmtp().getPort() + "/lan"),
                new RelayPolicy(List.of("example.jp"), List.of()), spool), pipeline,
                new EventFactory(new ApplianceId("00a0de000001")), events::addAll);
        return intake.addresses().get(0);
    }

    String send(InetSocketAddress address, String mail) throws IOException {
        try (SmtpClient c = new SmtpClient(address)) {
            c.reply();
            c.command("EHLO x.example");
            c.command("MAIL FROM:<a@sender.example>");
            c.command("RCPT TO:<hanako@example.jp>");
            c.command("DATA");
            c.send(mail + ".\r\n");
            return c.reply();
        }
    }

    @Test
    void failOpenDeliversAndSaysNotScanned() throws Exception {
        String mail = Mails.withAttachment(Mails.MARKER.getBytes(StandardCharsets.US_ASCII));
        assertThat(send(start(true), mail)).startsWith("250 2.0.0");
        assertThat(office.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(events).isNotEmpty().allSatisfy(e -> {
            assertThat(e.result()).isEqualTo(Result.NOT_SCANNED);
            assertThat(new String(EventCodec.toJson(e), StandardCharsets.UTF_8)).doesNotContain(Mails.MARKER).doesNotContain("請求書");
        });
    }

    @Test
    void failClosedDefersTheMail() throws Exception {
        assertThat(send(start(false), Mails.japanese())).startsWith("451 4.7.0");
        assertThat(office.waitForIncomingEmail(500, 1)).isFalse();
        assertThat(events).isEmpty(); // the sender's retry brings the event
    }
}
