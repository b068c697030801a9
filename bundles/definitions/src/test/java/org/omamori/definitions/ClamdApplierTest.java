package org.omamori.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AV definitions reach a real clamd (Debian's, started by scripts/clamd.sh in a private state folder
 * on a free port): the signature of a package is copied into clamd's database, RELOAD is sent, and
 * clamd then finds the new test sample. Skipped, loudly, where clamd is not installed.
 */
class ClamdApplierTest {

    private static final Path SCRIPT = Path.of("../../scripts/clamd.sh").toAbsolutePath().normalize();
    private static final byte[] SAMPLE = "omamori definitions clamd test sample, harmless".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private Path state;
    private int port;

    @AfterEach
    void stopClamd() throws Exception {
        if (state != null) {
            script("stop");
        }
    }

    private int script(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), command).redirectErrorStream(true);
        pb.environment().put("OMAMORI_CLAMD_DIR", state.toString());
        pb.environment().put("OMAMORI_CLAMD_PORT", Integer.toString(port));
        pb.environment().put("OMAMORI_CLAMD_SIGNATURES", dir.resolve("base").toString());
        pb.redirectOutput(dir.resolve("clamd-" + command + ".out").toFile());
        return pb.start().waitFor();
    }

    @Test
    void anAvPackageIsCopiedIntoClamdsDatabaseClamdReloadsItAndARestartKeepsIt() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/clamd"))) {
            System.err.println("*** SKIPPED ClamdApplierTest: /usr/sbin/clamd is not installed (apt-get install clamav-daemon) ***");
            assumeThat(false).as("clamd installed").isTrue();
        }
        Files.createDirectories(dir.resolve("base"));
        Files.writeString(dir.resolve("base/base.hdb"), hdb("base sample".getBytes(StandardCharsets.US_ASCII), "Omamori.Test.Base"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        state = dir.resolve("clamd");
        assertThat(script("start")).as("scripts/clamd.sh start, see %s", dir.resolve("clamd-start.out")).isZero();
        assertThat(scan(SAMPLE)).isEqualTo("stream: OK");

        Path src = Files.createDirectories(dir.resolve("av-src"));
        Files.writeString(src.resolve("omamori-extra.hdb"), hdb(SAMPLE, "Omamori.Test.Definitions"));
        SignedPackage pkg = PackageWriter.make(Kind.AV, PackageVersion.parse("3"), Fixtures.CREATED, src, Fixtures.OPERATOR.getPrivate());
        Fixtures.Recorded sink = new Fixtures.Recorded();
        Installer installer = new Installer(dir.resolve("home/definitions"), new PackageReader(Fixtures.operatorKey(), PackageLimits.defaults()),
                InstalledVersions.open(dir.resolve("home/state/v.properties")),
                Map.of(Kind.AV, new ClamdApplier(state.resolve("db"), new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        Duration.ofSeconds(10))), Fixtures.EVENTS, sink);

        assertThat(installer.install(pkg, "test")).isEqualTo(new Outcome.Applied(Kind.AV, PackageVersion.parse("3")));
        assertThat(state.resolve("db/omamori-extra.hdb")).exists();
        assertThat(state.resolve("db/base.hdb")).as("files the package did not put there stay").exists();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String verdict = scan(SAMPLE);
        while (!verdict.contains("FOUND") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            verdict = scan(SAMPLE);
        }
        assertThat(verdict).isEqualTo("stream: Omamori.Test.Definitions.UNOFFICIAL FOUND");

        // clamd restarted by the script: the package's files stay in force, the project's are refreshed.
        assertThat(script("stop")).isZero();
        assertThat(script("start")).as("scripts/clamd.sh start again, see %s", dir.resolve("clamd-start.out")).isZero();
        assertThat(state.resolve("db/omamori-extra.hdb")).exists();
        assertThat(scan(SAMPLE)).isEqualTo("stream: Omamori.Test.Definitions.UNOFFICIAL FOUND");
        assertThat(scan("base sample".getBytes(StandardCharsets.US_ASCII))).isEqualTo("stream: Omamori.Test.Base.UNOFFICIAL FOUND");
    }

    private static String hdb(byte[] sample, String name) throws Exception {
        String md5 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(sample));
        return md5 + ":" + sample.length + ":" + name + "\n";
    }

    /** clamd's INSTREAM: the reply line without its NUL. */
    private String scan(byte[] data) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            out.write(ByteBuffer.allocate(4).putInt(data.length).array());
            out.write(data);
            out.write(new byte[4]);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) > 0) {
                reply.write(b);
            }
            return reply.toString(StandardCharsets.US_ASCII).strip();
        }
    }
}
