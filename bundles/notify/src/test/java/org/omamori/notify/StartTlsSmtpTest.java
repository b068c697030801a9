package org.omamori.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.omamori.notify.Alerts.T0;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

/**
 * The production path: STARTTLS required, then AUTH, against a real SMTP server that speaks both
 * (SubEthaSMTP, in process, on a free loopback port, with a throw-away certificate made by keytool).
 * GreenMail ({@link SmtpTransportTest}) offers no STARTTLS on SMTP.
 *
 * <p>{@link SmtpTransport} trusts a server certificate in one of two ways only: {@code trustAll}
 * (no check at all) or the JVM's default trust ({@link SSLContext#getDefault()}: cacerts, or
 * {@code javax.net.ssl.trustStore}). The "verified certificate" tests therefore install a default
 * SSLContext trusting the test certificate for their duration, and put the previous one back.
 */
class StartTlsSmtpTest {

    static final String USER = "omamori";
    static final String PASSWORD = "s3cret-パス";
    static final String FROM = "noreply@omamori.example";
    static final char[] STORE_PASSWORD = "changeit".toCharArray();

    /** A certificate for 127.0.0.1 and localhost: what the client connects to. */
    static KeyStore forLoopback;
    /** A certificate for another host only. */
    static KeyStore forOtherHost;

    final Recipients to = Recipients.of("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp");

    /** What the server saw: every AUTH attempt and every mail, with the TLS state at that moment. */
    record Login(String user, String password, boolean tls, String protocol) {
    }

    record Received(String from, List<String> recipients, byte[] data, boolean tls, Object identity) {
    }

    final List<Login> logins = new CopyOnWriteArrayList<>();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> starttlsCommands = new CopyOnWriteArrayList<>();
    SMTPServer server;

    @BeforeAll
    static void certificates(@TempDir Path dir) throws Exception {
        // Two keytool runs side by side: a JVM start each, the slow part of this class.
        Path loopback = dir.resolve("loopback.p12");
        Path other = dir.resolve("other.p12");
        Process a = keytool(loopback, "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        Process b = keytool(other, "CN=mail.other.example", "SAN=dns:mail.other.example");
        forLoopback = keyStore(a, loopback);
        forOtherHost = keyStore(b, other);
    }

    /** Makes a self-signed EC key pair and certificate with the JDK's keytool. */
    static Process keytool(Path file, String dname, String san) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        return new ProcessBuilder(keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-genkeypair", "-alias", "smtp",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-ext", san, "-validity", "2", "-storetype",
                "PKCS12", "-keystore", file.toString(), "-storepass", new String(STORE_PASSWORD), "-keypass",
                new String(STORE_PASSWORD), "-noprompt").redirectErrorStream(true).start();
    }

    static KeyStore keyStore(Process keytool, Path file) throws Exception {
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(keytool.exitValue()).as("keytool: %s", out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, STORE_PASSWORD);
        }
        return ks;
    }

    static SSLContext serverContext(KeyStore ks) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(kmf.getKeyManagers(), null, null);
        return c;
    }

    /** A client context that trusts exactly the certificate in the key store. */
    static SSLContext trusting(KeyStore ks) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("smtp", (X509Certificate) ks.getCertificate("smtp"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    /**
     * Starts a server that offers STARTTLS (presenting the certificate in ks) and AUTH PLAIN/LOGIN, and
     * wants AUTH before MAIL. It offers AUTH in the clear too, and does not insist on TLS: so it is the
     * client alone that decides to upgrade before it logs in, and the server records whether it did.
     */
    int start(KeyStore ks) throws Exception {
        SSLContext tls = serverContext(ks);
        server = SMTPServer.port(0).bindAddress(InetAddress.getByName("127.0.0.1")).hostName("mx.test.example")
                .enableTLS().requireAuth().connectionTimeout(20, TimeUnit.SECONDS)
                .startTlsSocketFactory(socket -> {
                    starttlsCommands.add("STARTTLS");
                    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                            socket.getInetAddress().getHostAddress(), socket.getPort(), true);
                    s.setUseClientMode(false);
                    return s;
                })
                .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, context) -> {
                    Session s = (Session) context;
                    logins.add(new Login(user, password, s.isTLSStarted(),
                            s.getSocket() instanceof SSLSocket ssl ? ssl.getSession().getProtocol() : "plain"));
                    if (!USER.equals(user) || !PASSWORD.equals(password)) {
                        throw new LoginFailedException();
                    }
                }))
                .messageHandlerFactory(this::handler)
                .build();
        server.start();
        return server.getPortAllocated();
    }

    MessageHandler handler(MessageContext context) {
        return new MessageHandler() {
            String from;
            final List<String> rcpts = new ArrayList<>();

            @Override
            public void from(String f) {
                from = f;
            }

            @Override
            public void recipient(String r) {
                rcpts.add(r);
            }

            @Override
            public String data(InputStream data) throws IOException {
                Session s = (Session) context;
                received.add(new Received(from, List.copyOf(rcpts), data.readAllBytes(), s.isTLSStarted(),
                        context.getAuthenticationHandler().map(h -> h.getIdentity()).orElse(null)));
                return null;
            }

            @Override
            public void done() {
            }
        };
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    SmtpSettings settings(int port) {
        return SmtpSettings.of("127.0.0.1", port, FROM).withStarttls(SmtpSettings.Starttls.REQUIRED)
                .withFromName("サイバーセキュリティお助け隊").withTimeout(Duration.ofSeconds(15));
    }

    /** As {@link SmtpTransportTest#threeAlerts()}: three alerts, one batch, one mail. */
    OutboxEntry threeAlerts() {
        AlertBatch batch = AlertBatch.due(List.of(Alerts.pending("c1", Alerts.virusNeutralised(T0), T0),
                Alerts.pending("c1", Alerts.c2(T0.plusSeconds(90)), T0.plusSeconds(90)),
                Alerts.pending("c1", Alerts.newDomain(T0.plusSeconds(200)), T0.plusSeconds(200))), T0.plus(AlertBatch.WINDOW),
                AlertBatch.WINDOW).getFirst();
        return OutboxEntry.of(batch.key(), AlertMail.compose(Brand.standard(), to, batch), T0.plus(AlertBatch.WINDOW));
    }

    /** The received mail is the one sent, Japanese and ★ intact, and it came over TLS from the logged-in user. */
    void assertDelivered(OutboxEntry e) throws Exception {
        assertThat(received).hasSize(1);
        Received r = received.getFirst();
        assertThat(r.tls()).as("mail transaction over TLS").isTrue();
        assertThat(r.identity()).isEqualTo(USER);
        assertThat(r.from()).isEqualTo(FROM);
        assertThat(r.recipients()).containsExactly("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp");

        String wire = new String(r.data(), StandardCharsets.ISO_8859_1);
        assertThat(wire.chars().allMatch(c -> c < 128)).as("only ASCII on the wire").isTrue();
        MimeMessage m = new MimeMessage(jakarta.mail.Session.getInstance(new Properties()), new ByteArrayInputStream(r.data()));
        assertThat(m.getSubject()).isEqualTo(e.mail().subject())
                .isEqualTo("【★★★】サイバーセキュリティお助け隊 重要アラートのお知らせ（3件）");
        assertThat(m.getHeader("Subject", null)).startsWith("=?UTF-8?").doesNotContain("★");
        assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Address::toString))
                .containsExactly("soumu@example.co.jp", "shacho@example.co.jp", "it@example.co.jp");
        assertThat(m.getMessageID()).isEqualTo("<" + e.id() + "@omamori.example>");
        assertThat(m.getFrom()[0].toString()).contains("<noreply@omamori.example>");
        assertThat(((String) m.getContent()).replace("\r\n", "\n")).isEqualTo(e.mail().body());
    }

    /** The server upgraded the session to TLS, then the client logged in, once, over TLS. */
    void assertLoggedInOverTls() {
        assertThat(starttlsCommands).hasSize(1);
        assertThat(logins).hasSize(1);
        Login l = logins.getFirst();
        assertThat(l.user()).isEqualTo(USER);
        assertThat(l.password()).isEqualTo(PASSWORD); // UTF-8 password through AUTH intact
        assertThat(l.tls()).as("TLS started before AUTH").isTrue();
        assertThat(l.protocol()).startsWith("TLSv1.");
    }

    @Test
    void starttlsRequiredUpgradesThenLogsInAndDeliversTheJapaneseMail() throws Exception {
        int port = start(forLoopback);
        OutboxEntry e = threeAlerts();
        SendResult r = new SmtpTransport(settings(port).withLogin(USER, PASSWORD).trustingAll()).send(e);
        assertThat(r).isEqualTo(new SendResult.Sent(List.of()));
        assertLoggedInOverTls();
        assertDelivered(e);
    }

    @Test
    void aCertificateTheJvmTrustsIsVerifiedIncludingItsHostName() throws Exception {
        SSLContext before = SSLContext.getDefault();
        SSLContext.setDefault(trusting(forLoopback));
        try {
            int port = start(forLoopback);
            OutboxEntry e = threeAlerts();
            SendResult r = new SmtpTransport(settings(port).withLogin(USER, PASSWORD)).send(e);
            assertThat(r).isEqualTo(new SendResult.Sent(List.of()));
            assertLoggedInOverTls();
            assertDelivered(e);
        } finally {
            SSLContext.setDefault(before);
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsARetryAndThePasswordIsNotSent() throws Exception {
        SSLContext before = SSLContext.getDefault();
        SSLContext.setDefault(trusting(forOtherHost));
        try {
            int port = start(forOtherHost);
            SendResult r = new SmtpTransport(settings(port).withLogin(USER, PASSWORD)).send(threeAlerts());
            assertThat(r).isInstanceOfSatisfying(SendResult.Retry.class,
                    x -> assertThat(x.reason()).contains("TLS").doesNotContain(PASSWORD));
            assertThat(starttlsCommands).hasSize(1);
            assertThat(logins).as("no AUTH to a server whose certificate does not match").isEmpty();
            assertThat(received).isEmpty();
        } finally {
            SSLContext.setDefault(before);
        }
    }

    /** The relay's certificate as a PEM file, as an operator puts it next to the cloud's settings. */
    static Path pem(KeyStore ks, Path dir) throws Exception {
        byte[] der = ks.getCertificate("smtp").getEncoded();
        String text = "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(dir.resolve("relay.pem"), text);
    }

    @Test
    void aRelayCertificateGivenAsPemIsTrustedWithItsHostNameChecked(@TempDir Path dir) throws Exception {
        int port = start(forLoopback); // self-signed: only the PEM makes it trusted
        OutboxEntry e = threeAlerts();
        SendResult r = new SmtpTransport(settings(port).withLogin(USER, PASSWORD).trusting(pem(forLoopback, dir))).send(e);
        assertThat(r).isEqualTo(new SendResult.Sent(List.of()));
        assertLoggedInOverTls();
        assertDelivered(e);
    }

    @Test
    void aPemTrustedCertificateForAnotherHostIsStillARetry(@TempDir Path dir) throws Exception {
        int port = start(forOtherHost);
        SendResult r = new SmtpTransport(settings(port).withLogin(USER, PASSWORD).trusting(pem(forOtherHost, dir))).send(threeAlerts());
        assertThat(r).isInstanceOfSatisfying(SendResult.Retry.class,
                x -> assertThat(x.reason()).contains("TLS").doesNotContain(PASSWORD));
        assertThat(logins).as("no AUTH to a server whose certificate does not match").isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void aPemFileWithoutACertificateIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SmtpTransport(settings(25).trusting(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.pem");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SmtpTransport(settings(25).trusting(dir.resolve("missing.pem"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }

    @Test
    void anUntrustedCertificateIsARetryNamingTlsUnlessTrustAll() throws Exception {
        int port = start(forLoopback); // self-signed: not in the JDK's cacerts
        SendResult r = new SmtpTransport(settings(port).withLogin(USER, PASSWORD)).send(threeAlerts());
        assertThat(r).isInstanceOfSatisfying(SendResult.Retry.class,
                x -> assertThat(x.reason()).contains("TLS").doesNotContain(PASSWORD));
        assertThat(starttlsCommands).hasSize(1);
        assertThat(logins).as("no AUTH to an untrusted server").isEmpty();
        assertThat(received).isEmpty();

        // The same server, trusted because the settings say so.
        OutboxEntry e = threeAlerts();
        assertThat(new SmtpTransport(settings(port).withLogin(USER, PASSWORD).trustingAll()).send(e))
                .isEqualTo(new SendResult.Sent(List.of()));
        assertDelivered(e);
    }

    @Test
    void aWrongPasswordIsARetryAndThePasswordShowsNowhere() throws Exception {
        int port = start(forLoopback);
        String wrong = "wr0ng-パスワード-" + System.nanoTime();
        SendResult r;
        String logs;
        try (var capture = new LogCapture()) {
            r = new SmtpTransport(settings(port).withLogin(USER, wrong).trustingAll()).send(threeAlerts());
            logs = capture.text();
        }
        // 535 answers AUTH, not the mail: SendResult calls a login problem temporary (the settings are
        // wrong for now; the mail is fine), so the outbox keeps it and tries again after the fix.
        assertThat(r).isInstanceOfSatisfying(SendResult.Retry.class,
                x -> assertThat(x.reason()).contains("login failed").contains("535").doesNotContain(wrong)
                        .doesNotContain(PASSWORD));
        assertThat(logins).singleElement().satisfies(l -> {
            assertThat(l.password()).isEqualTo(wrong); // the server really checked this one
            assertThat(l.tls()).isTrue();
        });
        assertThat(received).isEmpty();

        assertThat(logs).as("the capture saw the transport's warning").contains("will retry").contains("login failed");
        for (String secret : List.of(wrong, b64(wrong), b64("\0" + USER + "\0" + wrong), b64(USER + "\0" + wrong))) {
            assertThat(logs).doesNotContain(secret);
        }
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Everything logged while open: SLF4J (slf4j-simple writes to System.err) and the Angus
     * java.util.logging loggers opened up to ALL, which includes the SMTP protocol trace.
     */
    static final class LogCapture implements AutoCloseable {
        private final PrintStream err = System.err;
        private final PrintStream out = System.out;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final java.util.logging.Logger angus = java.util.logging.Logger.getLogger("org.eclipse.angus");
        private final Level angusLevel = angus.getLevel();
        private final List<String> records = new CopyOnWriteArrayList<>();
        private final Handler handler = new Handler() {
            final SimpleFormatter f = new SimpleFormatter();

            @Override
            public void publish(LogRecord rec) {
                records.add(f.format(rec));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        LogCapture() {
            PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            System.setErr(both);
            System.setOut(both);
            handler.setLevel(Level.ALL);
            angus.setLevel(Level.ALL);
            angus.addHandler(handler);
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8) + String.join("", records);
        }

        @Override
        public void close() {
            angus.removeHandler(handler);
            angus.setLevel(angusLevel);
            System.setErr(err);
            System.setOut(out);
            err.print(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
