package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The antivirus' default on the real runtime: clamd's local socket {@code run/clamd/clamd.sock}
 * in the appliance's home (FILDES) when there is one, TCP when there is none; EICAR is
 * neutralised either way. The home's socket is a link to the one scripts/clamd.sh made, as
 * {@code omamori-clamd.service} makes it in the home itself.
 */
class ApplianceClamdSocketTest {

    private static final byte[] EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-" + "STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path home;

    @BeforeAll
    static void clamd() throws Exception {
        RunningAppliance.startClamd();
    }

    /** Where scripts/clamd.sh made its socket (OMAMORI_CLAMD_DIR, as the script reads it). */
    private static Path clamdsSocket() {
        String dir = System.getenv("OMAMORI_CLAMD_DIR");
        Path state = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("omamori.clamdScript")).toAbsolutePath().getParent().getParent().resolve("run/clamd");
        return state.resolve("clamd.sock");
    }

    private static void assertEicarNeutralised(RunningAppliance appliance) throws Exception {
        String download = appliance.post("/inspect?url=" + URLEncoder.encode("http://files.example/eicar.com", StandardCharsets.UTF_8), EICAR);
        assertThat(download.lines().filter(l -> l.startsWith("av-clamav\t"))).as(download).singleElement().asString()
                .startsWith("av-clamav\tdecided\tneutralise\tclamav:Omamori.Test.EICAR-1.UNOFFICIAL\t");
    }

    @Test
    void byDefaultTheAntivirusTakesClamdsSocketInTheHomeAndTcpWithoutIt() throws Exception {
        RunningAppliance appliance = new RunningAppliance(home);
        Path socket = home.resolve("run/clamd/clamd.sock");
        appliance.start();
        try {
            assertEicarNeutralised(appliance);
            assertThat(appliance.log()).contains("clamd at unix:" + socket + ", else 127.0.0.1:")
                    .contains("over TCP 127.0.0.1:").contains("did not connect (no such file");
        } finally {
            appliance.stop();
        }

        assertThat(clamdsSocket()).as("scripts/clamd.sh makes a local socket").exists();
        Files.createDirectories(socket.getParent());
        Files.createSymbolicLink(socket, clamdsSocket());
        Files.writeString(home.resolve("appliance.log"), "");
        appliance.start();
        try {
            assertEicarNeutralised(appliance);
            assertThat(appliance.log()).contains("FILDES (bodies held in sealed memory files that clamd reads itself), over the local socket unix:"
                    + socket).doesNotContain("over TCP");
        } finally {
            appliance.stop();
        }
    }
}
