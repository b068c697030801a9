package org.omamori.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.engine.antispam.AntispamEngine;
import org.omamori.engine.antispam.AntispamSettings;
import org.omamori.engine.antispam.rspamd.RspamdDaemon;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdDaemon;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventCodec;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.events.Result;
import org.omamori.inspection.FailurePolicy;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolSettings;

/**
 * Mail security as an appliance runs it: the SMTP intake with the antivirus on a real clamd and
 * the antispam engine on a real rspamd (scripts/clamd.sh, scripts/rspamd.sh), events into the
 * appliance's real spool, GreenMail as the office's mail server. A mail with a marker in every
 * part — subject, sender's name, text, HTML, an attachment's name and its bytes beside a virus —
 * is delivered with the virus replaced, and no byte of the marker is in the spool (what the
 * uplink sends) or in any event; spam is tagged or refused by rspamd's score.
 */
class MailSecurityEndToEndTest {

    static final String MARKER = "MRK-7Q2Z-omamori";
    static final ClamdDaemon CLAMD = ClamdDaemon.isolated(Path.of("target", "clamd"));
    static InspectionPipeline pipeline;
    static AvEngine av;
    static AntispamEngine antispam;
    static GreenMail office;

    @TempDir
    static Path dir;
    static Spool spool;
    static final List<Event> events = new CopyOnWriteArrayList<>();
    static SmtpIntake intake;
    static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        CLAMD.start();
        av = new AvEngine("test", new AvSettings(CLAMD.address(), true, 64L << 20, Duration.ofSeconds(30), 8));
        antispam = new AntispamEngine("test", AntispamSettings.DEFAULTS.withRspamd(RspamdDaemon.SHARED.start())
                .withTimeout(Duration.ofSeconds(20)));
        pipeline = new InspectionPipeline(new PipelineSettings(Duration.ofSeconds(30), FailurePolicy.OPEN, Duration.ofSeconds(30)));
        pipeline.addEngine(av);
        pipeline.addEngine(antispam);
        office = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        office.start();
        EventFactory factory = new EventFactory(new ApplianceId("00a0de000001"));
        spool = Spool.open(new SpoolSettings(dir.resolve("spool"), SpoolSettings.DEFAULT_MAX_BYTES,
                SpoolSettings.DEFAULT_SEGMENT_BYTES, Duration.ofMillis(50)), factory);
        EventSink both = list -> {
            events.addAll(list);
            spool.publish(list);
        };
        SmtpSettings settings = SmtpSettings.of(List.of(SmtpListener.parse("127.0.0.1:0/wan")),
                SmtpListener.parse("127.0.0.1:" + office.getSmtp().getPort() + "/lan"),
                new RelayPolicy(List.of("example.jp"), List.of()), dir.resolve("mail")).withIdleTimeout(Duration.ofSeconds(60));
        intake = SmtpIntake.start(settings, pipeline, factory, both);
        address = intake.addresses().get(0);
    }

    @AfterAll
    static void stop() throws Exception {
        intake.close();
        spool.close();
        office.stop();
        pipeline.close();
        av.close();
        CLAMD.stop();
    }

    @BeforeEach
    void clear() throws Exception {
        office.purgeEmailFromAllMailboxes();
        events.clear();
    }

    @Test
    void aMarkerInEveryPartReachesNeitherTheSpoolNorAnEventAndTheVirusIsReplaced() throws Exception {
        String eicar = Base64.getMimeEncoder().encodeToString(
                ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").getBytes(StandardCharsets.US_ASCII));
        String markerFile = Base64.getMimeEncoder().encodeToString((MARKER + " in a file").getBytes(StandardCharsets.US_ASCII));
        String mail = "From: \"" + MARKER + "\" <taro@sender.example>\r\n"
                + "To: hanako@example.jp\r\n"
                + "Subject: " + MARKER + " quarterly figures\r\n"
                + "Date: Sun, 06 Dec 2026 10:00:00 +0900\r\n"
                + "Message-ID: <" + MARKER + "@sender.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
                + "--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe figures, " + MARKER + ".\r\n"
                + "--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The figures, " + MARKER + ".</p>\r\n"
                + "--b2--\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"" + MARKER + ".txt\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + MARKER + ".txt\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + markerFile + "\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"" + MARKER + ".com\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + MARKER + ".com\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + eicar + "\r\n"
                + "--b1--\r\n";
        assertThat(send("taro@sender.example", mail)).startsWith("250");

        await().atMost(Duration.ofSeconds(30)).until(() -> office.getReceivedMessages().length == 1);
        MimeMessage delivered = office.getReceivedMessages()[0];
        String body = GreenMailUtil.getWholeMessage(delivered);
        assertThat(body).doesNotContain("EICAR-STANDARD-ANTIVIRUS-TEST-FILE").doesNotContain(eicar.substring(0, 40));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.function()).isEqualTo(SecurityFunction.ANTIVIRUS);
            assertThat(e.result()).isEqualTo(Result.NEUTRALISE);
        });

        spool.sync();
        java.io.ByteArrayOutputStream uplink = new java.io.ByteArrayOutputStream();
        spool.take(10_000, 16 << 20).writeJson(uplink); // the bytes the uplink would send
        assertThat(uplink.size()).isGreaterThan(0);
        assertThat(uplink.toString(StandardCharsets.UTF_8)).doesNotContain(MARKER);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("spool"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        long spooled = 0;
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            spooled += bytes.length;
            // ISO-8859-1 keeps every byte as one char: the ASCII marker is found wherever its bytes are
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).as("marker in %s", f).doesNotContain(MARKER);
        }
        assertThat(spooled).isGreaterThan(0);
        for (Event e : events) {
            assertThat(new String(EventCodec.toJson(e), StandardCharsets.UTF_8)).doesNotContain(MARKER);
        }
    }

    @Test
    void rspamdsScoreTagsOrRefusesSpamAndHamGoesThroughUntouched() throws Exception {
        assertThat(send("info@deals.example", corpus("tag-ja-miwaku-iso2022jp.eml"))).startsWith("250");
        assertThat(send("support@account-check.example", corpus("refuse-ja-phish-card-iso2022jp.eml"))).startsWith("550");
        assertThat(send("yamada@partner.example", corpus("ham-ja-meeting-utf8.eml"))).startsWith("250");
        await().atMost(Duration.ofSeconds(30)).until(() -> office.getReceivedMessages().length == 2);
        List<MimeMessage> received = new ArrayList<>(List.of(office.getReceivedMessages()));
        MimeMessage tagged = received.stream().filter(m -> header(m, "X-Spam-Flag") != null).findFirst().orElseThrow();
        assertThat(tagged.getHeader("X-Spam-Flag")).containsExactly("YES");
        assertThat(tagged.getHeader("X-Spam-Status")[0]).startsWith("Yes, score=");
        assertThat(tagged.getSubject()).startsWith("[SPAM] ");
        MimeMessage ham = received.stream().filter(m -> header(m, "X-Spam-Flag") == null).findFirst().orElseThrow();
        assertThat(ham.getSubject()).doesNotStartWith("[SPAM]");
        assertThat(events).filteredOn(e -> e.function().equals(SecurityFunction.ANTISPAM))
                .extracting(Event::result).contains(Result.NEUTRALISE, Result.BLOCK);
    }

    private static String header(MimeMessage m, String name) {
        try {
            String[] values = m.getHeader(name);
            return values == null ? null : values[0];
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String corpus(String name) throws IOException {
        try (InputStream in = AntispamEngine.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IOException("no corpus mail " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        }
    }

    /** EHLO, MAIL, RCPT, DATA and the mail; the reply to the end of data. */
    private static String send(String from, String mail) throws IOException {
        try (SmtpClient c = new SmtpClient(address)) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO mail.sender.example")).startsWith("250");
            assertThat(c.command("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(c.command("RCPT TO:<hanako@example.jp>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            String body = mail.endsWith("\r\n") ? mail : mail + "\r\n";
            c.send(body.replace("\r\n.", "\r\n..") + ".\r\n");
            String answer = c.reply();
            c.command("QUIT");
            return answer;
        }
    }
}
