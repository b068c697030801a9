package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.api.pipeline.PipelineResult;
import org.osgi.framework.Bundle;

/**
 * The URL filter bundle is updated, uninstalled and reinstalled in a real Felix while two
 * threads inspect without pause: no inspection may fail, and each new list set must decide.
 */
class UrlEngineHotSwapTest {

    private static final String URLFILTER_PID = "org.omamori.engine.urlfilter";
    private static final Path URLFILTER_JAR = TestFramework.BUNDLES.resolve("org.omamori.engine.urlfilter.jar");

    @TempDir
    static Path tmp;
    static TestFramework fw;
    static Pipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        fw = TestFramework.start(tmp.resolve("felix"));
        pipeline = fw.service(Pipeline.class);
    }

    @AfterAll
    static void stop() throws Exception {
        fw.close();
    }

    /** A list set whose phishing category holds one domain: round-N.test. */
    static Path listsOfRound(int round) throws Exception {
        Path dir = tmp.resolve("lists-" + round);
        Files.createDirectories(dir.resolve("phishing"));
        Files.writeString(dir.resolve("phishing/domains"), "# round " + round + "\nround-" + round + ".test\n");
        return dir;
    }

    static PipelineResult check(String host) {
        return pipeline.inspect(InspectionRequest.http("GET", "http://www." + host + "/login").build());
    }

    static boolean blocked(String host) {
        return check(host).verdict().action() == Action.BLOCK;
    }

    @Test
    void updatingTheUrlEngineTenTimesAndReinstallingItUnderLoadFailsNoInspection() throws Exception {
        fw.configure(URLFILTER_PID, Map.of("lists", listsOfRound(0).toString()));
        Bundle urlfilter = fw.installAndStart(URLFILTER_JAR);
        await().atMost(Duration.ofSeconds(20)).until(() -> blocked("round-0.test"));

        Inspectors inspectors = Inspectors.start(2, () -> check("round-" + ThreadLocalRandom.current().nextInt(11) + ".test"));

        for (int round = 1; round <= 10; round++) {
            fw.configure(URLFILTER_PID, Map.of("lists", listsOfRound(round).toString()));
            try (InputStream in = Files.newInputStream(URLFILTER_JAR)) {
                urlfilter.update(in);
            }
            int now = round;
            await("round " + round + " lists decide").atMost(Duration.ofSeconds(20))
                    .until(() -> blocked("round-" + now + ".test") && !blocked("round-" + (now - 1) + ".test"));
        }

        urlfilter.uninstall();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> pipeline.engines().stream().noneMatch(d -> d.id().equals("urlfilter")));
        assertThat(blocked("round-10.test")).as("no URL engine, no block").isFalse();

        fw.installAndStart(URLFILTER_JAR);
        await().atMost(Duration.ofSeconds(20)).until(() -> blocked("round-10.test"));

        long inspections = inspectors.stopAndAssertNoneFailed();
        assertThat(inspections).isGreaterThan(1000);
        System.out.printf("hot swap: %d inspections across 10 updates and a reinstall, 0 failed%n", inspections);
    }

    /** Installs the URL filter bundle unless it runs already (tests may run in any order). */
    static void ensureUrlFilter() throws Exception {
        Bundle b = fw.bundle("org.omamori.engine.urlfilter");
        if (b == null) {
            fw.installAndStart(URLFILTER_JAR);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.engines().stream().anyMatch(d -> d.id().equals("urlfilter")));
    }

    @Test
    void aMalformedListLosesOnlyItsBadLines() throws Exception {
        ensureUrlFilter();
        Path dir = tmp.resolve("malformed");
        Files.createDirectories(dir.resolve("malware"));
        Files.write(dir.resolve("malware/domains"), List.of(
                "# a list with garbage in it", "good-one.test", "exa mple..bad", "\u0000\u0001binary", "x".repeat(5000),
                "good-two.test"));
        Files.write(dir.resolve("malware/domains"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        fw.configure(URLFILTER_PID, Map.of("lists", dir.toString()));

        await().atMost(Duration.ofSeconds(20)).until(() -> blocked("good-one.test") && blocked("good-two.test"));
        assertThat(check("exa.test").verdict().action()).isEqualTo(Action.PASS);
    }

    @Test
    void anOverSizeListSetIsRefusedAndTheListsInForceStayActive() throws Exception {
        ensureUrlFilter();
        fw.configure(URLFILTER_PID, Map.of("lists", listsOfRound(42).toString(), "maxEntries", 100L));
        await().atMost(Duration.ofSeconds(20)).until(() -> blocked("round-42.test"));

        Path big = tmp.resolve("too-big");
        Files.createDirectories(big.resolve("phishing"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            lines.add("big-" + i + ".test");
        }
        Files.write(big.resolve("phishing/domains"), lines);
        fw.configure(URLFILTER_PID, Map.of("lists", big.toString(), "maxEntries", 100L));

        Thread.sleep(1500); // the refused load runs in the background; give it time to (not) swap
        assertThat(blocked("round-42.test")).as("the lists in force stay active").isTrue();
        assertThat(blocked("big-1.test")).as("the over-size lists never came into force").isFalse();
    }
}
