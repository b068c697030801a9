package org.omamori.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.omamori.bench.dns.InstantUpstream;
import org.omamori.definitions.MakeDefinitions;
import org.omamori.launcher.MemoryBudget;

/**
 * The appliance's memory budget under a mixed load (issue 18; docs/operations.md "Memory budget"):
 * the real appliance process (its built jar, started with the JVM options of its budget) with
 * 1,000,000 listed domains and a rule set, for N seconds at once: wrk through the web proxy to an
 * nginx origin (10 KiB page), dnsperf against the DNS filter (half listed names, half allowed
 * ones answered by an instant upstream), and a signed definitions package dropped into
 * {@code definitions/incoming/} every interval (alternately 1,000,000 other domains and the rule
 * set again). Every second the process's VmRSS is read from /proc; the GC log gives the pauses;
 * the appliance's metrics give the shed counts. Prints and writes a summary (peak resident vs
 * budget, seconds above it, pauses, refusals).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.MixedLoad SECONDS [BUDGET_MB] [budget|serial|g1|zgc] [RULES_DIR] [INTERVAL_S] [KEY=VALUE,…]</pre>
 * Needs wrk, nginx and dnsperf (scripts/bench-tools.sh), the built appliance
 * (distribution/appliance/target/appliance), and optionally clamd (scripts/clamd.sh start; without it the
 * antivirus fails open and the proxy forwards unscanned).
 */
public final class MixedLoad {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern P99 = Pattern.compile("\\n\\s+99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern PAUSE = Pattern.compile("Pause (.*?) (\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");
    private static final Pattern METRIC = Pattern.compile("^(omamori_memory_[a-z_]+(?:\\{[^}]*\\})?) ([0-9.eE+-]+)$", Pattern.MULTILINE);

    private MixedLoad() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int budgetMb = args.length > 1 ? Integer.parseInt(args[1]) : MemoryBudget.DEFAULT_MEGABYTES;
        String gc = args.length > 2 ? args[2] : "budget";
        Path rules = Path.of(args.length > 3 ? args[3] : "engines/ips-hyperscan/rules").toAbsolutePath();
        int interval = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        // More lines for etc/org.omamori.memory.cfg, e.g. "heapHighPercent=45,heapLowPercent=40" to see shedding at a test mark.
        String memorySettings = args.length > 5 ? args[5].replace(',', '\n') + "\n" : "";
        Path jar = Path.of("distribution/appliance/target/appliance/omamori-appliance.jar").toAbsolutePath();
        Path dir = Files.createTempDirectory("omamori-mixed-load");
        Path home = Files.createDirectories(dir.resolve("home"));
        System.out.printf("mixed load: %d s, budget %d MB, %s, rules %s, a definitions package every %d s, in %s%n",
                seconds, budgetMb, gc, rules, interval, dir);

        String[] domains = SyntheticLists.domains(1_000_000);
        Path lists = SyntheticLists.write(domains);
        Files.move(lists, home.resolve("lists"));
        copyRules(rules, Files.createDirectories(home.resolve("rules")));
        Files.createDirectories(home.resolve("keys"));
        Path key = dir.resolve("operator.key");
        MakeDefinitions.keygen(key, home.resolve("keys/operator-ed25519.pem"));
        List<Path[]> packages = packages(dir, key, domains, rules, Math.max(1, seconds / interval));

        int nginxPort = freePort();
        int proxyPort = freePort();
        int dnsPort = freePort();
        Process nginx = startNginx(dir, nginxPort);
        Process appliance = null;
        List<Process> load = new ArrayList<>();
        try (InstantUpstream upstream = new InstantUpstream()) {
            configure(home, budgetMb, proxyPort, dnsPort, upstream.address().getPort(), memorySettings);
            appliance = start(jar, home, budgetMb, gc, dir.resolve("gc.log"));
            waitForStart(home, appliance);
            long pid = appliance.pid();
            Path queries = queries(dir, domains);
            List<long[]> rss = Collections.synchronizedList(new ArrayList<>());
            Thread sampler = Thread.ofPlatform().daemon().start(() -> sample(pid, rss));
            long started = System.nanoTime();
            Process wrk = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", "--latency", "-H", "Host: 127.0.0.1:" + nginxPort,
                    "http://127.0.0.1:" + proxyPort + "/page.html").redirectErrorStream(true).redirectOutput(dir.resolve("wrk.out").toFile()).start();
            Process dnsperf = new ProcessBuilder("dnsperf", "-s", "127.0.0.1", "-p", String.valueOf(dnsPort), "-d", queries.toString(),
                    "-l", String.valueOf(seconds), "-c", "4", "-q", "100", "-Q", "5000")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dnsperf.out").toFile()).start();
            load.add(wrk);
            load.add(dnsperf);
            List<String> dropped = new CopyOnWriteArrayList<>();
            for (int i = 0; i < packages.size(); i++) {
                long at = started + TimeUnit.SECONDS.toNanos((long) (i + 1) * interval - interval / 2);
                sleepUntil(at);
                if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(seconds - 5)) {
                    break;
                }
                drop(packages.get(i), home.resolve("definitions/incoming"));
                dropped.add(packages.get(i)[0].getFileName().toString());
                System.out.printf("%4d s: dropped %s, resident %s MB%n", (System.nanoTime() - started) / 1_000_000_000L,
                        packages.get(i)[0].getFileName(), rss.isEmpty() ? "?" : rss.getLast()[1] >> 20);
            }
            wrk.waitFor(seconds + 60, TimeUnit.SECONDS);
            dnsperf.waitFor(seconds + 60, TimeUnit.SECONDS);
            sampler.interrupt();
            String metrics = metrics(home);
            histogram(pid, dir.resolve("histogram.txt"));
            summary(dir, home, budgetMb, gc, seconds, rss, dropped, metrics);
        } finally {
            load.forEach(Process::destroy);
            if (appliance != null) {
                appliance.destroy();
                if (!appliance.waitFor(30, TimeUnit.SECONDS)) {
                    appliance.destroyForcibly();
                }
            }
            nginx.destroy();
            nginx.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void configure(Path home, int budgetMb, int proxyPort, int dnsPort, int upstreamPort, String memorySettings)
            throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("org.omamori.memory.cfg"), "budgetMegabytes = " + budgetMb + "\n" + memorySettings);
        // nginx, the origin, is on loopback, which the proxy refuses unless allowed.
        Files.writeString(etc.resolve("org.omamori.proxy.cfg"), "listeners = http@127.0.0.1:" + proxyPort + "/lan\n"
                + "allowedNetworks = 127.0.0.1/32\nhttpPorts = 80, 1024-65535\n");
        Files.writeString(etc.resolve("org.omamori.dns.cfg"), "listen = lan=127.0.0.1:" + dnsPort + "\nupstreams = 127.0.0.1:" + upstreamPort
                + "\nclientRate = 0\nclientInFlight = 0\n");
        Files.writeString(etc.resolve("org.omamori.appliance.cfg"), "adminPort = 0\n");
        Files.writeString(etc.resolve("org.omamori.definitions.cfg"), "dropScanSeconds = 2\n");
    }

    /** The appliance as the systemd unit starts it: the budget's JVM options, the collector swapped when asked. */
    private static Process start(Path jar, Path home, int budgetMb, String gc, Path gcLog) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : new MemoryBudget(budgetMb, "bench").jvmOptions(Runtime.version().feature())) {
            boolean collector = o.startsWith("-XX:+Use") && o.endsWith("GC") || o.startsWith("-XX:MaxGCPauseMillis")
                    || o.equals("-XX:+ExplicitGCInvokesConcurrent") || o.contains("G1") || o.startsWith("-XX:InitiatingHeapOccupancyPercent");
            if (!collector || gc.equals("budget")) {
                cmd.add(o);
            }
        }
        switch (gc) {
            case "serial" -> cmd.add("-XX:+UseSerialGC");
            case "g1" -> cmd.addAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExplicitGCInvokesConcurrent"));
            case "zgc" -> cmd.add("-XX:+UseZGC");
            case "budget" -> { }
            default -> throw new IllegalArgumentException("collector: budget (the budget's own), serial, g1 or zgc, not " + gc);
        }
        // -Dmixedload.jvm="-XX:..." adds options after the budget's, to try one against them
        for (String o : System.getProperty("mixedload.jvm", "").trim().split("\\s+")) {
            if (!o.isEmpty()) {
                cmd.add(o);
            }
        }
        // -Dmixedload.xlog=gc* for the humongous regions and phases at each list swap (gc,heap)
        cmd.add("-Xlog:" + System.getProperty("mixedload.xlog", "gc") + ":file=" + gcLog + ":uptime");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        System.out.println("appliance: " + String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("appliance.out").toFile());
        pb.environment().putAll(MemoryBudget.ENVIRONMENT);
        return pb.start();
    }

    private static void waitForStart(Path home, Process appliance) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        Path out = home.resolve("appliance.out");
        while (System.nanoTime() < deadline) {
            if (!appliance.isAlive()) {
                throw new IllegalStateException("the appliance ended: " + Files.readString(out));
            }
            String text = Files.exists(out) ? Files.readString(out) : "";
            if (text.contains("Omamori appliance started")) {
                System.out.println(text.lines().filter(l -> l.contains("started") || l.contains("in force:") || l.contains("memory budget"))
                        .reduce("", (a, b) -> a + b + "\n"));
                Thread.sleep(3000); // the first collections and the JIT's first minutes are part of the run
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the appliance did not start within 5 minutes");
    }

    private static void sample(long pid, List<long[]> rss) {
        Path status = Path.of("/proc/" + pid + "/status");
        long t0 = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        rss.add(new long[] {(System.nanoTime() - t0) / 1_000_000, Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024});
                    }
                }
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (IOException gone) {
                return;
            }
        }
    }

    /** Alternately 1,000,000 other domains and the same rules, each a newer version, signed with the test operator key. */
    private static List<Path[]> packages(Path dir, Path key, String[] domains, Path rules, int count) throws IOException {
        Path src = Files.createDirectories(dir.resolve("package-src"));
        Path urlA = src.resolve("url-a");
        Path urlB = src.resolve("url-b");
        Files.move(SyntheticLists.write(domains), urlA);
        String[] other = new String[domains.length];
        for (int i = 0; i < domains.length; i++) {
            other[i] = "x" + domains[i];
        }
        Files.move(SyntheticLists.write(other), urlB);
        Path ips = Files.createDirectories(src.resolve("ips"));
        copyRules(rules, ips);
        List<Path[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean url = i % 2 == 0;
            String version = "2026.12.6." + (i + 1);
            Path zip = dir.resolve("packages").resolve((url ? "urlfilter-" : "ips-") + version + ".zip");
            MakeDefinitions.run(url ? "urlfilter" : "ips", version, (url ? (i % 4 == 0 ? urlB : urlA) : ips).toString(), key.toString(),
                    zip.toString());
            out.add(new Path[] {zip, zip.resolveSibling(zip.getFileName() + ".sig")});
        }
        return out;
    }

    /** As docs/definitions.md says: the zip, then its signature, moved in. */
    private static void drop(Path[] pkg, Path incoming) throws IOException {
        Files.createDirectories(incoming);
        Files.copy(pkg[0], incoming.resolve(pkg[0].getFileName() + ".part"));
        Files.move(incoming.resolve(pkg[0].getFileName() + ".part"), incoming.resolve(pkg[0].getFileName()), StandardCopyOption.ATOMIC_MOVE);
        Files.copy(pkg[1], incoming.resolve(pkg[1].getFileName()));
    }

    private static void copyRules(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".rules")).toList()) {
                Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Half subdomains of listed names (blocked), half allowed names (the instant upstream, then the cache), interleaved. */
    private static Path queries(Path dir, String[] domains) throws IOException {
        SplittableRandom r = new SplittableRandom(18);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            b.append(i % 2 == 0 ? "www" + r.nextInt(10) + "." + domains[r.nextInt(domains.length)] : "ok" + r.nextInt(5_000) + ".allowed.example")
                    .append(" A\n");
        }
        Path q = dir.resolve("queries.txt");
        Files.writeString(q, b);
        return q;
    }

    /** Where the heap goes at the end of the run (live objects: jcmd collects first). */
    private static void histogram(long pid, Path out) {
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram").redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.out.println("no class histogram: " + e);
        }
    }

    private static String metrics(Path home) {
        try {
            String port = Files.readString(home.resolve("state/admin.port")).trim();
            String token = Files.readString(home.resolve("state/admin.token")).trim();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "# metrics not read: " + e;
        }
    }

    private static void summary(Path dir, Path home, int budgetMb, String gc, int seconds, List<long[]> rss, List<String> dropped,
                                String metrics) throws IOException {
        long budget = (long) budgetMb << 20;
        long peak = 0;
        int above = 0;
        StringBuilder series = new StringBuilder("ms,rss_bytes\n");
        for (long[] s : rss) {
            peak = Math.max(peak, s[1]);
            above += s[1] > budget ? 1 : 0;
            series.append(s[0]).append(',').append(s[1]).append('\n');
        }
        Files.writeString(dir.resolve("rss.csv"), series);
        List<Double> pauses = new ArrayList<>();
        double full = 0;
        int fullCount = 0;
        for (String line : Files.readAllLines(dir.resolve("gc.log"))) {
            Matcher m = PAUSE.matcher(line);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(5));
                pauses.add(ms);
                if (m.group(1).startsWith("Full")) {
                    full = Math.max(full, ms);
                    fullCount++;
                }
            }
        }
        Collections.sort(pauses);
        double total = pauses.stream().mapToDouble(Double::doubleValue).sum();
        String wrk = Files.readString(dir.resolve("wrk.out"));
        String dnsperf = Files.readString(dir.resolve("dnsperf.out"));
        String log = Files.readString(home.resolve("appliance.out"));
        long applied = log.lines().filter(l -> l.contains("definitions") && l.contains(" applied (from")).count();
        long shedStarts = log.lines().filter(l -> l.contains("memory budget: shedding load")).count();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "== memory budget under mixed load: %d s, budget %d MB, collector %s%n", seconds, budgetMb, gc));
        out.append(String.format(Locale.ROOT, "resident: peak %d MB = %.2f of the budget; %d of %d one-second samples above it; median %d MB%n",
                peak >> 20, (double) peak / budget, above, rss.size(), rss.isEmpty() ? 0 : median(rss) >> 20));
        out.append(String.format(Locale.ROOT, "GC pauses: %d, total %.0f ms (%.2f %% of the run), p50 %.1f ms, p99 %.1f ms, max %.1f ms; full: %d, max %.1f ms%n",
                pauses.size(), total, total / (seconds * 10.0), pct(pauses, 0.5), pct(pauses, 0.99), pct(pauses, 1.0), fullCount, full));
        out.append(String.format(Locale.ROOT, "proxy (wrk -c16): %s requests, %s req/s, p99 %s, non-2xx (503 while shedding) %s%n",
                find(REQUESTS, wrk), find(RPS, wrk), find(P99, wrk), find(NON_2XX, wrk).isEmpty() ? "0" : find(NON_2XX, wrk)));
        out.append("dns (dnsperf -c4 -q100 -Q5000): ").append(dnsperf.lines().filter(l -> l.contains("Queries per second")
                || l.contains("Response codes") || l.contains("Queries completed") || l.contains("Average Latency"))
                .map(String::strip).reduce((a, b) -> a + "; " + b).orElse("(no dnsperf summary)")).append('\n');
        out.append(String.format(Locale.ROOT, "definitions: %d packages dropped, %d applied%n", dropped.size(), applied));
        out.append(String.format(Locale.ROOT, "shedding: started %d times (log)%n", shedStarts));
        Matcher m = METRIC.matcher(metrics);
        while (m.find()) {
            out.append("  ").append(m.group(1)).append(' ').append(m.group(2)).append('\n');
        }
        Path histogram = dir.resolve("histogram.txt");
        if (Files.exists(histogram)) {
            out.append("heap after the run, largest classes (jcmd GC.class_histogram):\n");
            Files.readAllLines(histogram).stream().filter(l -> l.matches("\\s*\\d+:.*")).limit(8)
                    .forEach(l -> out.append("  ").append(l.strip()).append('\n'));
            Files.readAllLines(histogram).stream().filter(l -> l.startsWith("Total")).forEach(l -> out.append("  ").append(l).append('\n'));
        }
        out.append("files: ").append(dir).append(" (rss.csv, gc.log, wrk.out, dnsperf.out, histogram.txt, home/appliance.out)\n");
        System.out.print(out);
        Files.writeString(dir.resolve("summary.txt"), out, StandardCharsets.UTF_8);
    }

    private static long median(List<long[]> rss) {
        long[] v = rss.stream().mapToLong(s -> s[1]).sorted().toArray();
        return v[v.length / 2];
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1 < 0 ? 0
                : (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) + (m.groupCount() > 1 ? m.group(2) : "") : "";
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static Process startNginx(Path dir, int port) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bench</title></head><body>");
        SplittableRandom r = new SplittableRandom(7);
        while (page.length() < 10 * 1024 - 20) {
            page.append("<p>お知らせ ").append(r.nextInt(1_000_000)).append(" Lorem ipsum dolor sit amet.</p>");
        }
        Files.writeString(www.resolve("page.html"), page.append("</body></html>"));
        Process p = Nginx.start(dir, port, 4096, "text/html html;", "", List.of(dir, www, www.resolve("page.html")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        p.destroy();
        throw new IllegalStateException("nginx did not start on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
