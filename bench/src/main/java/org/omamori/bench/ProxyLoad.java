package org.omamori.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.omamori.proxy.DestinationPolicy;
import org.omamori.proxy.Listener;
import org.omamori.proxy.ProxyRuntime;
import org.omamori.proxy.ProxySettings;

/**
 * The web proxy under load, all on loopback in one run: nginx serves a 10 KiB page and a 10 MiB
 * file, wrk drives it directly (the baseline), through the proxy with no engine, and through the
 * proxy with every engine (URL filter with 1,000,000 listed domains, IPS with the project rules,
 * antivirus on the project's clamd). Prints requests/s, p99 latency and MB/s, and the ratios.
 * Needs wrk and nginx ({@code scripts/bench-tools.sh}) and clamd ({@code scripts/clamd.sh start}).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.ProxyLoad [seconds] [connections]</pre>
 *
 * <p>The reference, nginx as reverse proxy, is a server of the origin's own nginx worker: its writes to
 * the origin wake no other process. The path {@code nginxsep} ({@code -Dproxyload.paths=nginx,nginxsep,all})
 * runs the same reverse proxy in a second nginx, a process apart from the origin as ours is, and each
 * row is also compared with it.
 */
public final class ProxyLoad {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("\\n\\s+50%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern TRANSFER = Pattern.compile("Transfer/sec:\\s+([0-9.]+)(B|KB|MB|GB)");

    /**
     * @param jvmCpuMicrosPerRequest CPU time of this JVM (proxy and engines) per request, all threads
     */
    record Run(String name, double rps, double p50Millis, double p99Millis, double mbPerSecond, double jvmCpuMicrosPerRequest,
               double jvmKilobytesPerRequest) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean big = !Boolean.getBoolean("proxyload.noBig");
        // -Dproxyload.paths=direct,nginx,bare,all (default all four), e.g. only "all" under a profiler.
        List<String> paths = List.of(System.getProperty("proxyload.paths", "direct,nginx,bare,all").split(","));
        Path dir = Files.createTempDirectory("omamori-proxy-load");
        int nginxPort = freePort();
        int nginxProxyPort = freePort();
        Process nginx = startNginx(dir, nginxPort, nginxProxyPort);
        int separateProxyPort = freePort();
        Process nginxSeparate = paths.contains("nginxsep") ? startSeparateProxy(dir.resolve("sep"), nginxPort, separateProxyPort) : null;
        String origin = "127.0.0.1:" + nginxPort;
        List<Run> runs = new ArrayList<>();
        try (InspectionPipeline none = new InspectionPipeline(PipelineSettings.DEFAULTS);
             ProxyRuntime bare = proxy(none);
             Engines all = new Engines();
             ProxyRuntime full = proxy(all.pipeline)) {
            waitForPort(nginxPort);
            String bareAt = "http://127.0.0.1:" + bare.addresses().get(0).getPort();
            String fullAt = "http://127.0.0.1:" + full.addresses().get(0).getPort();
            // Rounds alternate the paths, so a neighbour's load on this shared machine falls on all of them.
            for (int round = 1; round <= rounds; round++) {
                if (paths.contains("direct")) {
                    runs.add(wrk("direct", "http://" + origin + "/page.html", null, seconds, connections));
                }
                if (paths.contains("nginx")) {
                    // The ceiling on this machine: nginx itself as the proxy (C, event loop, upstream keep-alive).
                    runs.add(wrk("nginx as proxy (reference)", "http://127.0.0.1:" + nginxProxyPort + "/page.html", null, seconds, connections));
                }
                if (paths.contains("nginxsep")) {
                    runs.add(wrk(SEPARATE, "http://127.0.0.1:" + separateProxyPort + "/page.html", null, seconds, connections));
                }
                if (paths.contains("bare")) {
                    runs.add(wrk("proxy, no engine", bareAt + "/page.html", origin, seconds, connections));
                }
                if (paths.contains("all")) {
                    runs.add(wrk("proxy, all engines", fullAt + "/page.html", origin, seconds, connections));
                }
            }
            if (big) {
                runs.add(wrk("direct 10 MiB", "http://" + origin + "/big.bin", null, seconds, 4));
                runs.add(wrk("proxy, all engines 10 MiB", fullAt + "/big.bin", origin, seconds, 4));
            }
        } finally {
            if (nginxSeparate != null) {
                nginxSeparate.destroy();
                nginxSeparate.waitFor(5, TimeUnit.SECONDS);
            }
            nginx.destroy();
            nginx.waitFor(5, TimeUnit.SECONDS);
        }
        System.out.printf("%nevents made by the proxies: %d%n", EVENTS.sum());
        System.out.printf("%n%-28s %12s %9s %9s %10s %10s %11s %18s %13s%n", "path", "requests/s", "p50 ms", "p99 ms", "MB/s",
                "vs direct", "vs nginx-p", "proxy CPU us/req", "KB alloc/req");
        Run direct = null;
        Run reference = null;
        Run directBig = null;
        Run separate = null;
        for (Run r : runs) {
            switch (r.name()) {
                case SEPARATE -> separate = r;
                case "direct" -> direct = r;
                case "nginx as proxy (reference)" -> reference = r;
                case "direct 10 MiB" -> directBig = r;
                default -> { }
            }
            boolean isBig = r.name().endsWith("MiB");
            Run base = isBig ? directBig : direct;
            double vsDirect = base == null ? 0 : isBig ? r.mbPerSecond() / base.mbPerSecond() : r.rps() / base.rps();
            String vsReference = reference == null || isBig ? "" : String.format("%.2fx", r.rps() / reference.rps());
            String p99VsReference = reference == null || isBig ? "" : String.format(" (p99 %.1fx)", r.p99Millis() / reference.p99Millis());
            boolean ours = r.name().startsWith("proxy");
            String vsSeparate = separate == null || isBig || r == separate ? ""
                    : String.format(" (own-process nginx: %.2fx, p99 %.1fx)", r.rps() / separate.rps(), r.p99Millis() / separate.p99Millis());
            System.out.printf("%-28s %12.0f %9.2f %9.2f %10.1f %9.2fx %11s %18.1f %13.1f%s%s%n", r.name(), r.rps(), r.p50Millis(), r.p99Millis(),
                    r.mbPerSecond(), vsDirect, vsReference, ours ? r.jvmCpuMicrosPerRequest() : 0.0,
                    ours ? r.jvmKilobytesPerRequest() : 0.0, p99VsReference, vsSeparate);
        }
    }

    /** The path {@code nginxsep}: nginx as reverse proxy in a process of its own. */
    private static final String SEPARATE = "nginx proxy, own process";

    /** Events the proxies made (clean pages make none; a finding, failure or note does). */
    private static final LongAdder EVENTS = new LongAdder();

    private static ProxyRuntime proxy(InspectionPipeline pipeline) throws IOException {
        LongAdder events = EVENTS;
        // nginx, the origin, is on this machine's loopback, which the proxy refuses unless allowed.
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("http@127.0.0.1:0/lan")))
                .withDestinations(DestinationPolicy.DEFAULTS.allowing("127.0.0.1/32"));
        return ProxyRuntime.start(settings, pipeline, new EventFactory(new ApplianceId("00a0de0be7c4")), list -> events.add(list.size()));
    }

    /** The appliance's three engines, loaded as in production. */
    static final class Engines implements AutoCloseable {
        final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        final UrlFilter url = new UrlFilter("bench");
        final IpsEngine ips = new IpsEngine("bench", IpsSettings.DEFAULTS);
        final AvEngine av;

        /** clamd's port: {@code -Dproxyload.clamdPort} (default 3399, as {@code scripts/clamd.sh} starts it). */
        Engines() throws IOException {
            this(new AvSettings(new ClamdAddress("127.0.0.1", Integer.getInteger("proxyload.clamdPort", 3399)),
                    AvSettings.DEFAULTS.failOpen(), AvSettings.DEFAULTS.maxScanBytes(), AvSettings.DEFAULTS.scanTimeout(),
                    AvSettings.DEFAULTS.maxConnections(), AvSettings.DEFAULTS.cacheTime()));
        }

        Engines(AvSettings avSettings) throws IOException {
            av = new AvEngine("bench", avSettings);
            url.swapIn(CategoryLists.load(SyntheticLists.write(SyntheticLists.domains(1_000_000))));
            // The project rules, and -Dproxyload.ruleDir (e.g. an ET Open folder) next to them.
            List<Path> rules = new java.util.ArrayList<>(List.of(Path.of("engines/ips-hyperscan/rules").toAbsolutePath()));
            String extra = System.getProperty("proxyload.ruleDir", "");
            if (!extra.isEmpty()) {
                rules.add(Path.of(extra).toAbsolutePath());
            }
            if (!ips.loadNow(RuleSets.source(rules, Variables.defaults(), Classtypes.standard(), n -> { }), IpsSettings.DEFAULTS)) {
                throw new IllegalStateException("the rules did not load from " + rules);
            }
            System.out.println("[ips] " + rules + ": " + ips.report());
            pipeline.addEngine(url.asEngine());
            pipeline.addEngine(ips);
            pipeline.addEngine(av);
        }

        @Override
        public void close() {
            pipeline.close();
            av.close();
            ips.close();
            url.close();
        }
    }

    private static Run wrk(String name, String url, String host, int seconds, int connections) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (host != null) {
            command.addAll(List.of("-H", "Host: " + host));
        }
        command.add(url);
        // A short warm-up run first, so the JIT has compiled the proxy's paths.
        List<String> warm = new ArrayList<>(command);
        warm.set(3, "-d2s");
        new ProcessBuilder(warm).redirectErrorStream(true).start().getInputStream().readAllBytes();
        long cpuBefore = jvmCpuNanos();
        long allocatedBefore = allocatedBytes();
        long[] ticksBefore = userSystemTicks();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        long cpuNanos = jvmCpuNanos() - cpuBefore;
        long allocated = allocatedBytes() - allocatedBefore;
        long[] ticksAfter = userSystemTicks();
        System.out.printf("%s: JVM user %d ms, system %d ms%n", name, (ticksAfter[0] - ticksBefore[0]) * 10, (ticksAfter[1] - ticksBefore[1]) * 10);
        System.out.println("== " + name + "\n" + out);
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException(name + ": responses other than 200 — the numbers would mean nothing; one now: " + sample(url, host));
        }
        double rps = number(RPS, out);
        return new Run(name, rps, millis(P50, out), millis(P99, out), megabytes(out), cpuNanos / 1000.0 / Math.max(1, rps * seconds),
                allocated / 1024.0 / Math.max(1, rps * seconds));
    }

    /** The head of one response to the run's request, to say which answer the run got instead of 200. */
    private static String sample(String url, String host) {
        java.net.URI u = java.net.URI.create(url);
        try (var s = new java.net.Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(5_000);
            String h = host != null ? host : u.getHost() + ":" + u.getPort();
            s.getOutputStream().write(("GET " + u.getPath() + " HTTP/1.1\r\nHost: " + h + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String head = new String(s.getInputStream().readNBytes(2_048), java.nio.charset.StandardCharsets.UTF_8);
            return head.replace("\r\n", " | ");
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** utime and stime of this process in clock ticks (10 ms), from /proc/self/stat. */
    private static long[] userSystemTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Heap bytes allocated by all threads of this JVM so far (virtual threads' on their carriers). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long jvmCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static double number(Pattern p, String out) {
        Matcher m = p.matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static double millis(Pattern p, String out) {
        Matcher m = p.matcher(out);
        if (!m.find()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    private static double megabytes(String out) {
        Matcher m = TRANSFER.matcher(out);
        if (!m.find()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "B" -> v / (1 << 20);
            case "KB" -> v / 1024;
            case "GB" -> v * 1024;
            default -> v;
        };
    }

    private static Process startNginx(Path dir, int port, int proxyPort) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.write(www.resolve("page.html"), PageInspectionCost.page());
        SplittableRandom r = new SplittableRandom(7);
        byte[] big = new byte[10 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) r.nextInt(256);
        }
        Files.write(www.resolve("big.bin"), big);
        String reverseProxy = """
                  upstream origin { server 127.0.0.1:%1$d; keepalive 64; }
                  server { listen 127.0.0.1:%2$d;
                    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; } }
                """.formatted(port, proxyPort);
        return Nginx.start(dir, port, 4096, "text/html html; application/octet-stream bin;", reverseProxy,
                List.of(dir, www, www.resolve("page.html"), www.resolve("big.bin")));
    }

    /** A second nginx, only the reverse proxy to the origin at {@code originPort} (its own root is empty). */
    private static Process startSeparateProxy(Path dir, int originPort, int proxyPort) throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        String reverseProxy = """
                  upstream origin { server 127.0.0.1:%1$d; keepalive 64; }
                  server { listen 127.0.0.1:%2$d;
                    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; } }
                """.formatted(originPort, proxyPort);
        Process p = Nginx.start(dir, freePort(), 4096, "text/html html;", reverseProxy, List.of(dir, www));
        waitForPort(proxyPort);
        return p;
    }

    static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not start on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
