package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.ZonePair;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.osgi.framework.Bundle;

/**
 * The IPS engine bundle is updated and its rules reloaded, alternately, in a real Felix while two
 * threads inspect without pause; the Hyperscan bundle with the native code stays put.
 */
class IpsEngineHotSwapTest {

    private static final String IPS_PID = "org.omamori.engine.ips";
    private static final Path IPS_JAR = TestFramework.BUNDLES.resolve("org.omamori.engine.ips.jar");

    @TempDir
    static Path tmp;
    static TestFramework fw;
    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        fw = TestFramework.start(tmp.resolve("felix"));
        fw.installAndStart(TestFramework.BUNDLES.resolve("org.omamori.hyperscan.jar"));
        pipeline = fw.service(Pipeline.class);
    }

    @AfterAll
    static void stop() throws Exception {
        fw.close();
    }

    /** A rule set that drops requests for /round-N/. */
    static Path rulesOfRound(int round) throws Exception {
        Path file = tmp.resolve("round-" + round + ".rules");
        Files.writeString(file, "drop http any any -> any any (msg:\"round " + round + "\"; http.uri; content:\"/round-" + round
                + "/\"; classtype:web-application-attack; sid:" + (1000 + round) + "; rev:1;)\n");
        return file;
    }

    static PipelineResult check(int round) throws Exception {
        Connection c = new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.10"), 50000,
                InetAddress.getByName("198.51.100.5"), 80, Optional.empty());
        return pipeline.inspect(InspectionRequest.http("GET", "http://198.51.100.5/round-" + round + "/x").connection(c).build());
    }

    static boolean blocked(int round) throws Exception {
        return check(round).verdict().action() == Action.BLOCK;
    }

    @Test
    void updatingTheIpsBundleAndReloadingItsRulesUnderLoadFailsNoInspection() throws Exception {
        fw.configure(IPS_PID, Map.of("rules", new String[] {rulesOfRound(0).toString()}));
        Bundle ips = fw.installAndStart(IPS_JAR);
        await().atMost(Duration.ofSeconds(30)).until(() -> blocked(0));

        Inspectors inspectors = Inspectors.start(2, () -> check(ThreadLocalRandom.current().nextInt(9)));

        for (int round = 1; round <= 8; round++) {
            fw.configure(IPS_PID, Map.of("rules", new String[] {rulesOfRound(round).toString()}));
            if (round % 2 == 0) {
                try (InputStream in = Files.newInputStream(IPS_JAR)) {
                    ips.update(in); // odd rounds: a rule reload alone; even rounds: the bundle too
                }
            }
            int now = round;
            await("round " + round + " rules decide").atMost(Duration.ofSeconds(30))
                    .until(() -> blocked(now) && !blocked(now - 1));
        }

        long inspections = inspectors.stopAndAssertNoneFailed();
        assertThat(inspections).isGreaterThan(1000);
        System.out.printf("IPS hot swap: %d inspections across 4 rule reloads and 4 bundle updates, 0 failed%n", inspections);
    }
}
