package org.omamori.engine.antispam.rspamd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.engine.antispam.rspamd.RspamdException.Kind;

/**
 * The rspamd client against hostile and broken daemons (a fake HTTP server) and against the
 * real one: every failure is a bounded, typed error within the timeout, naming no mail content.
 */
class RspamdClientTest {

    private static final Envelope ENVELOPE = new Envelope("203.0.113.25", "mail.example.net", "a@example.net", List.of("b@example.jp"));
    private static final byte[] MAIL = "From: a@example.net\r\nTo: b@example.jp\r\nSubject: hi\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static Reply scan(InetSocketAddress address, Duration timeout) throws RspamdException {
        try (RspamdScan scan = new Rspamd(address, timeout, 256 << 10).open(ENVELOPE)) {
            scan.send(ByteBuffer.wrap(MAIL));
            return scan.finish();
        }
    }

    private static RspamdException failure(FakeRspamd fake) {
        try {
            scan(fake.address(), Duration.ofSeconds(2));
        } catch (RspamdException e) {
            return e;
        }
        throw new AssertionError("the scan did not fail");
    }

    @Test
    void theRealRspamdScoresAMailAndAnswersPing() throws Exception {
        InetSocketAddress address = RspamdDaemon.SHARED.start();
        Reply reply = scan(address, Duration.ofSeconds(4));
        assertThat(reply.score()).isBetween(-5.0, 6.0);
        assertThat(reply.symbols()).allMatch(s -> s.matches("[A-Z0-9_]+"));
        new Rspamd(address, Duration.ofSeconds(2), 1024).ping();
    }

    @Test
    void nobodyListeningIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> scan(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(2)))
                .isInstanceOfSatisfying(RspamdException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE))
                .hasMessageContaining("scripts/rspamd.sh start");
    }

    @Test
    void aDaemonThatNeverAnswersTimesOutInTime() throws Exception {
        try (FakeRspamd fake = new FakeRspamd(out -> Thread.sleep(30_000))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> scan(fake.address(), Duration.ofMillis(300)))
                    .isInstanceOfSatisfying(RspamdException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aHugeAnnouncedReplyIsRefusedBeforeItIsRead() throws Exception {
        try (FakeRspamd fake = FakeRspamd.answering("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n{"
                .getBytes(StandardCharsets.US_ASCII))) {
            assertThat(failure(fake)).satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL))
                    .hasMessageContaining("over the engine's reply limit");
        }
    }

    @Test
    void anEndlessReplyIsCutAtTheLimit() throws Exception {
        byte[] junk = new byte[64 << 10];
        java.util.Arrays.fill(junk, (byte) '[');
        try (FakeRspamd fake = new FakeRspamd(out -> {
            out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) {
                out.write(junk); // 6 GiB if nobody stops reading
            }
        })) {
            assertThat(failure(fake)).satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL))
                    .hasMessageContaining("longer than");
        }
    }

    @Test
    void anEndlessHeaderIsCutAtItsLimit() throws Exception {
        try (FakeRspamd fake = new FakeRspamd(out -> {
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 100_000; i++) {
                out.write("X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        })) {
            assertThat(failure(fake)).satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL))
                    .hasMessageContaining("header is longer than");
        }
    }

    @Test
    void garbageAndDeeplyNestedJsonAreProtocolErrorsThatQuoteNothing() throws Exception {
        for (String json : List.of("this is not json SECRET-MAIL-WORDS", "{\"score\": \"SECRET-MAIL-WORDS\"}", "[1,2,3]",
                "{\"score\": 1e999}", "{\"score\": 1.0} trailing", "{\"symbols\": {}}",
                "{\"score\": 1, \"x\": " + "[".repeat(5000) + "]".repeat(5000) + "}")) {
            try (FakeRspamd fake = FakeRspamd.answeringJson(json)) {
                assertThat(failure(fake)).as(json.substring(0, Math.min(40, json.length())))
                        .satisfies(e -> assertThat(e.kind()).isEqualTo(Kind.PROTOCOL))
                        .hasMessageNotContaining("SECRET").hasMessageStartingWith("rspamd's reply is unusable");
            }
        }
    }

    @Test
    void manySymbolsAndHostileSymbolNamesAreBounded() throws Exception {
        StringBuilder json = new StringBuilder("{\"score\": 7.5, \"required_score\": 15, \"symbols\": {");
        for (int i = 0; i < 2000; i++) {
            json.append("\"SYM_").append(i).append("\": {\"score\": ").append(i % 7).append(", \"options\": [\"x\"]},");
        }
        json.append("\"BAD\\r\\nX-Spam: no\": {\"score\": 99}, \"日本語\": {\"score\": 50}}}");
        try (FakeRspamd fake = FakeRspamd.answeringJson(json.toString())) {
            Reply reply = scan(fake.address(), Duration.ofSeconds(2));
            assertThat(reply.score()).isEqualTo(7.5);
            assertThat(reply.symbols()).hasSizeLessThanOrEqualTo(ReplyParser.MAX_SYMBOLS)
                    .allMatch(s -> s.matches("SYM_[0-9]+"));
            // Highest score first (6 here), and zero-scored symbols are left out.
            assertThat(Integer.parseInt(reply.symbols().getFirst().substring(4)) % 7).isEqualTo(6);
            assertThat(reply.symbols()).noneMatch(s -> Integer.parseInt(s.substring(4)) % 7 == 0);
        }
    }

    @Test
    void aStatusOtherThan200IsAnError() throws Exception {
        try (FakeRspamd fake = FakeRspamd.answering("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\n{}"
                .getBytes(StandardCharsets.US_ASCII))) {
            assertThat(failure(fake)).hasMessageContaining("HTTP 500");
        }
        try (FakeRspamd fake = FakeRspamd.answering("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(failure(fake)).hasMessageContaining("not an HTTP reply").hasMessageNotContaining("OpenSSH");
        }
    }

    @Test
    void envelopeValuesCannotInjectHeaders() {
        Envelope hostile = new Envelope("203.0.113.25", "evil\r\nPass: all\r\nX: y", "", List.of("ok@example.jp", "x".repeat(600),
                "bad\nRcpt: injected@example.net"));
        String head = new String(Rspamd.head(hostile), StandardCharsets.UTF_8);
        assertThat(head).doesNotContain("evil").doesNotContain("injected").doesNotContain("xxxx")
                .contains("Rcpt: ok@example.jp\r\n").contains("From: <>\r\n").contains("IP: 203.0.113.25\r\n")
                .endsWith("\r\n\r\n");
        assertThat(head.split("\r\n")).filteredOn(l -> l.startsWith("Pass:")).hasSize(1);
    }

    @Test
    void pingOfSomethingElseFails() throws Exception {
        try (FakeRspamd fake = FakeRspamd.answering("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnope".getBytes(StandardCharsets.US_ASCII))) {
            assertThatThrownBy(() -> new Rspamd(fake.address(), Duration.ofSeconds(2), 1024).ping())
                    .isInstanceOf(RspamdException.class).hasMessageContaining("not pong");
        }
    }

    @Test
    void aDaemonThatStopsReadingTimesOutWhileSending() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // Accepted by the kernel but never read: the socket buffers fill and the write must give up.
            Rspamd rspamd = new Rspamd(new InetSocketAddress("127.0.0.1", silent.getLocalPort()), Duration.ofMillis(300), 1024);
            try (RspamdScan scan = rspamd.open(ENVELOPE)) {
                ByteBuffer big = ByteBuffer.allocate(1 << 20);
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 64; i++) {
                        scan.send(big);
                    }
                }).isInstanceOfSatisfying(RspamdException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TIMEOUT));
            }
        }
    }
}
