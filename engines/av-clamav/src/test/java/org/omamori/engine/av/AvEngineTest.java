package org.omamori.engine.av;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.engine.av.clamd.ClamdDaemon;

/** The antivirus engine against the real clamd that scripts/clamd.sh runs with the project's signatures. */
class AvEngineTest {

    static final byte[] EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
            .getBytes(StandardCharsets.US_ASCII);

    static AvEngine engine;

    @BeforeAll
    static void start() {
        ClamdDaemon.SHARED.start();
        engine = new AvEngine("test", settings(ClamdDaemon.SHARED.address(), true, 64L * 1024 * 1024));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static AvSettings settings(ClamdAddress address, boolean failOpen, long maxScanBytes) {
        // No answer cache: these tests are about what clamd says.
        return new AvSettings(address, failOpen, maxScanBytes, Duration.ofSeconds(30), 8, Duration.ZERO);
    }

    /** Streams a download through an inspection: headers, then the body in pieces of {@code piece} bytes. */
    static Verdict download(AvEngine av, List<Header> headers, byte[] body, int piece) {
        try (Inspection i = av.inspect(InspectionRequest.http("GET", "http://files.example/x").build())) {
            if (!headers.isEmpty()) {
                i.headers(Direction.RESPONSE, headers);
            }
            for (int at = 0; at < body.length; at += piece) {
                ByteBuffer chunk = ByteBuffer.wrap(body, at, Math.min(piece, body.length - at)).asReadOnlyBuffer();
                int position = chunk.position();
                i.body(Direction.RESPONSE, chunk);
                assertThat(chunk.position()).as("the engine leaves the caller's buffer as it was").isEqualTo(position);
            }
            i.endOfBody(Direction.RESPONSE);
            return i.verdict();
        }
    }

    static void assertInfected(Verdict v) {
        assertThat(v.action()).isEqualTo(Action.NEUTRALISE);
        assertThat(v.finding().orElseThrow().ruleName()).startsWith("Omamori.Test.EICAR");
        assertThat(v.finding().orElseThrow().evidence()).isEqualTo(Evidence.MALWARE);
        assertThat(v.note()).startsWith("infected: Omamori.Test.EICAR");
    }

    /**
     * 10 MiB downloads as the proxy hands them over (16 KiB slices) and in odd pieces: EICAR at
     * the start, in the middle, across a 256 KiB INSTREAM chunk boundary and at the very end is
     * found; the same body without it is clean (docs: engines/av-clamav/README.md).
     */
    @Test
    void eicarAnywhereInATenMebibyteDownloadIsFound() {
        int size = 10 << 20;
        Random random = new Random(18);
        for (int piece : new int[] {16 << 10, 7_777}) {
            for (int at : new int[] {0, size / 2, (256 << 10) - 20, 3 * (256 << 10) + 5, size - EICAR.length}) {
                byte[] body = new byte[size];
                random.nextBytes(body);
                System.arraycopy(EICAR, 0, body, at, EICAR.length);
                Verdict v = download(engine, List.of(), body, piece);
                assertThat(v.action()).as("EICAR at %d, pieces of %d", at, piece).isEqualTo(Action.NEUTRALISE);
                assertInfected(v);
            }
            byte[] clean = new byte[size];
            random.nextBytes(clean);
            assertThat(download(engine, List.of(), clean, piece).action()).as("clean, pieces of %d", piece).isEqualTo(Action.PASS);
        }
    }

    @Test
    void eicarInAPlainDownloadIsNeutralisedEvenInOneBytePieces() {
        assertInfected(download(engine, List.of(), EICAR, 1));
        assertInfected(download(engine, List.of(), EICAR, 7));
    }

    @Test
    void clamdsLocalSocketWorksAsWellAsTcp() {
        Path socket = ClamdDaemon.SHARED.localSocket();
        try (AvEngine local = new AvEngine("test", settings(ClamdAddress.localSocket(socket), true, 64L << 20))) {
            assertInfected(download(local, List.of(), EICAR, 7));
            assertThat(download(local, List.of(), "clean".getBytes(StandardCharsets.US_ASCII), 7)).isEqualTo(Verdict.clean());
        }
    }

    @Test
    void eicarInsideAZipIsFound() throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("nothing here".getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("tools/eicar.com"));
            z.write(EICAR);
        }
        assertInfected(download(engine, List.of(), zip.toByteArray(), 100));
    }

    @Test
    void eicarInAChunkedResponseSplitAcrossChunksIsFound() {
        byte[] framed = chunked(EICAR, 10);
        assertThat(new String(framed, StandardCharsets.US_ASCII)).doesNotContain("EICAR-STANDARD-ANTIVIRUS");
        assertInfected(download(engine, List.of(new Header("Transfer-Encoding", "chunked")), framed, 13));
    }

    @Test
    void eicarInAGzipEncodedChunkedResponseIsFound() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write("<html>".repeat(1000).getBytes(StandardCharsets.US_ASCII));
            g.write(EICAR);
        }
        assertInfected(download(engine, List.of(new Header("Content-Encoding", "gzip")), gz.toByteArray(), 5));
        assertInfected(download(engine, List.of(new Header("Content-Encoding", "gzip"), new Header("Transfer-Encoding", "chunked")),
                chunked(gz.toByteArray(), 17), 11));
    }

    @Test
    void cleanFilesOfSeveralSizesPass() {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 1024, 65_536, 1 << 20, 10 << 20}) {
            byte[] body = new byte[size];
            random.nextBytes(body);
            byte[] copy = body.clone();
            Verdict v = download(engine, List.of(), body, 64 * 1024);
            assertThat(v).as(size + " bytes").isEqualTo(Verdict.clean());
            assertThat(Arrays.equals(body, copy)).as("not a byte changed").isTrue();
        }
    }

    @Test
    void uploadsAreScannedToo() {
        try (Inspection i = engine.inspect(InspectionRequest.http("POST", "http://share.example/upload").build())) {
            i.body(Direction.REQUEST, ByteBuffer.wrap(EICAR));
            i.endOfBody(Direction.REQUEST);
            assertThat(i.verdict().action()).isEqualTo(Action.NEUTRALISE);
            assertThat(i.verdict().note()).contains("upload");
        }
    }

    @Test
    void aFileOverTheScanLimitGetsThePolicyAndTheEventSaysSo() {
        byte[] big = new byte[2 << 20];
        try (AvEngine open = new AvEngine("test", settings(ClamdDaemon.SHARED.address(), true, 1 << 20));
             AvEngine closed = new AvEngine("test", settings(ClamdDaemon.SHARED.address(), false, 1 << 20))) {
            Verdict passed = download(open, List.of(), big, 64 * 1024);
            assertThat(passed.action()).isEqualTo(Action.PASS);
            assertThat(passed.finding().orElseThrow().evidence()).isEqualTo(Evidence.UNSCANNED);
            assertThat(passed.note()).startsWith("not scanned: the file is over the scan limit of 1048576 bytes");
            Verdict blocked = download(closed, List.of(), big, 64 * 1024);
            assertThat(blocked.action()).isEqualTo(Action.BLOCK);
            assertThat(blocked.note()).startsWith("blocked because it could not be scanned: the file is over the scan limit");
        }
    }

    @Test
    void whenClamdStopsThePolicyIsAppliedAndWhenItComesBackScanningResumes(@TempDir Path state) {
        ClamdDaemon own = ClamdDaemon.isolated(state);
        own.start();
        try (AvEngine av = new AvEngine("test", settings(own.address(), true, 64L << 20))) {
            assertInfected(download(av, List.of(), EICAR, 20));
            own.stop();
            Verdict down = download(av, List.of(), EICAR, 20);
            assertThat(down.action()).isEqualTo(Action.PASS);
            assertThat(down.note()).startsWith("not scanned:").contains(own.address().toString());
            own.start();
            assertInfected(download(av, List.of(), EICAR, 20)); // same engine: no restart needed
        } finally {
            own.stop();
        }
    }

    @Test
    void identicalSmallContentGetsClamdsRecentAnswerWithoutAnotherScan(@TempDir Path state) {
        ClamdDaemon own = ClamdDaemon.isolated(state);
        own.start();
        byte[] page = "<html><body>お知らせ: 年末年始の営業日について</body></html>".repeat(100).getBytes(StandardCharsets.UTF_8);
        AvSettings cached = new AvSettings(own.address(), true, 64L << 20, Duration.ofSeconds(30), 8, Duration.ofMinutes(1));
        try (AvEngine av = new AvEngine("test", cached)) {
            assertThat(download(av, List.of(), page, 1000).action()).isEqualTo(Action.PASS);
            assertInfected(download(av, List.of(), EICAR, 20));
            own.stop();
            // clamd is gone: only remembered answers can come back.
            Verdict samePage = download(av, List.of(), page, 4096);
            assertThat(samePage.action()).isEqualTo(Action.PASS);
            assertThat(samePage.note()).isEmpty();
            assertInfected(download(av, List.of(), EICAR, 7));
            // A declared length: the true one finds the answer; one over what the cache keeps (1 MiB)
            // sends the body to clamd from its first byte, without a lookup.
            assertThat(download(av, List.of(new Header("Content-Length", String.valueOf(page.length))), page, 4096).note()).isEmpty();
            assertThat(download(av, List.of(new Header("Content-Length", "2000000")), page, 4096).note()).startsWith("not scanned:");
            assertThat(download(av, List.of(new Header("Content-Length", "99999999999999999999")), page, 4096).note()).startsWith("not scanned:");
            assertThat(download(av, List.of(new Header("Content-Length", "1x")), page, 4096).note()).isEmpty();
            byte[] other = Arrays.copyOf(page, page.length + 1);
            assertThat(download(av, List.of(), other, 4096).note()).startsWith("not scanned:");
            av.forgetAnswers();
            assertThat(download(av, List.of(), page, 4096).note()).startsWith("not scanned:");
        } finally {
            own.stop();
        }
    }

    @Test
    void anEncodingTheEngineCannotDecodeIsNotScannedAndSaid() {
        Verdict v = download(engine, List.of(new Header("Content-Encoding", "br")), EICAR, 10);
        assertThat(v.action()).isEqualTo(Action.PASS);
        assertThat(v.note()).startsWith("not scanned: its encoding cannot be decoded").contains("br");
    }

    /** HTTP chunked framing with chunks of {@code size} bytes. */
    static byte[] chunked(byte[] body, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < body.length; at += size) {
            int n = Math.min(size, body.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
