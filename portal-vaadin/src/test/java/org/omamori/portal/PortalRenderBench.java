package org.omamori.portal;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.github.mvysny.vaadinboot.VaadinBoot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.Event;
import org.omamori.events.Result;
import org.omamori.grading.StarTable;
import org.omamori.grading.CustomerGrading;
import org.omamori.store.IngestStore;

/**
 * How long the dashboard and the alert list take to render in Chromium (navigation until Vaadin is
 * idle and the page's main element is there), p50/p95 over many loads, against the sign-in page
 * in the same run as the baseline. A benchmark, not a test: it asserts nothing and runs only when
 * asked (bench/README.md "Portal rendering"):
 * <pre>
 * ./mvnw -B -pl portal-vaadin verify -Dtest=PortalRenderBench -Domamori.bench=true [-Domamori.bench.loads=40]
 * </pre>
 */
@EnabledIfSystemProperty(named = "omamori.bench", matches = "true")
class PortalRenderBench {

    @TempDir
    Path dir;

    @Test
    void renderTimes() throws Exception {
        int loads = Integer.getInteger("omamori.bench.loads", 40);
        try (World world = new World(dir)) {
            // 90 days of a busy customer: 40 threats a day from 20 hosts, graded by the real star table.
            IngestStore ingest = world.store.ingest(new CustomerGrading(StarTable.standard(), 100));
            Instant end = world.clock.instant();
            Evidence[] kinds = {Evidence.MALWARE, Evidence.PHISHING, Evidence.EXPLOIT_ATTEMPT, Evidence.INFECTION};
            SecurityFunction[] functions = {SecurityFunction.ANTIVIRUS, SecurityFunction.URL_FILTERING, SecurityFunction.IPS,
                    SecurityFunction.IPS};
            int events = 0;
            for (int day = 90; day >= 1; day--) {
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int k = (day + i) % kinds.length;
                    batch.add(World.event(world.minato1, end.minus(Duration.ofDays(day)).plusSeconds(i * 600L),
                            "192.168.10." + (10 + i % 20), "host" + (i % 7) + ".example.net", functions[k],
                            i % 3 == 0 ? Result.PASS : Result.BLOCK, kinds[k], "sid:" + (3000 + i % 11)));
                }
                ingest.store(world.minato1, batch);
                events += batch.size();
            }
            Portal.install(world.portal);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            VaadinBoot server = PortalMain.start(port, "127.0.0.1");
            try (Browser browser = new Browser("http://127.0.0.1:" + port + "/", dir.resolve("chromium"), Path.of("target/screenshots"))) {
                double[] signin = measure(browser, "signin", "login-id", loads);
                world.issue(world.minato, "tmp-bench00001", "Tmp-Pass-bench-2345", "計測");
                browser.signIn("tmp-bench00001", "Tmp-Pass-bench-2345");
                browser.chooseCredentials("bench.user", "Bench-Render-2026");
                browser.radio("two-step-method", "使わない");
                browser.click("welcome-finish");
                long alerts = world.store.statistics().alerts(org.omamori.store.TenantScope.customer(world.minato),
                        org.omamori.store.AlertQuery.period(end.minus(Duration.ofDays(91)), end.plusSeconds(1)).limit(500)).alerts().size();
                double[] dashboard = measure(browser, "", "status-banner", loads);
                double[] list = measure(browser, "alerts", "alerts", loads);
                System.out.printf("%nPortal rendering, %d loads each; data: %d events over 90 days, %s alerts on the customer%n",
                        loads, events, alerts >= 500 ? "500+" : Long.toString(alerts));
                System.out.printf("%-26s %8s %8s %8s %8s%n", "page", "p50 ms", "p95 ms", "max ms", "p95/base");
                row("sign-in page (baseline)", signin, signin);
                row("dashboard (30 days)", dashboard, signin);
                row("alert list (this month)", list, signin);
            } finally {
                server.stop("bench end");
            }
        }
    }

    /** Loads {@code path} {@code n} times (after 5 warm-ups) until Vaadin is idle and {@code id} is present. */
    private static double[] measure(Browser browser, String path, String id, int n) {
        double[] ms = new double[n];
        for (int i = -5; i < n; i++) {
            long start = System.nanoTime();
            browser.open(path);
            browser.byId(id);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void row(String name, double[] ms, double[] base) {
        System.out.printf("%-26s %8.0f %8.0f %8.0f %8.2f%n", name, pct(ms, 50), pct(ms, 95), ms[ms.length - 1],
                pct(ms, 95) / pct(base, 95));
    }

    private static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
