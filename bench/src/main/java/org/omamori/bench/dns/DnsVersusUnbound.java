package org.omamori.bench.dns;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The DNS filter against unbound on the same machine in the same run, both driven by dnsperf
 * (issue 18): 1,000,000 blocked domains (the filter's URL lists; unbound's {@code always_nxdomain}
 * local zones; the filter answers NXDOMAIN too), queries half subdomains of blocked domains and
 * half allowed names that both answer from their caches after a warm-up (both forward to the same
 * {@link InstantUpstream}). The filter runs in its own JVM ({@link DnsFilterHost}, {@code -Xmx1g}
 * as the appliance's service, plus {@code OMAMORI_DNS_HOST_JVM}) so that its resident memory is its own.
 * Rounds alternate unbound and the filter; peak resident memory (VmHWM) of each is read at the end.
 *
 * <pre>bash scripts/bench-tools.sh
 * java -cp bench/target/benchmarks.jar org.omamori.bench.dns.DnsVersusUnbound [domains] [seconds] [rounds] [clients] [outstanding]</pre>
 */
public final class DnsVersusUnbound {

    private static final String[] TLDS = {"com", "net", "org", "jp", "co.jp", "info", "example", "test"};
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ALLOWED_NAMES = 5_000;
    private static final int BLOCKED_NAMES = 100_000;

    private DnsVersusUnbound() {
    }

    public static void main(String[] args) throws Exception {
        int domains = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String clients = args.length > 3 ? args[3] : "4";
        String outstanding = args.length > 4 ? args[4] : "100";
        Path root = Files.createTempDirectory("omamori-dns-vs-unbound");
        Process unbound = null;
        Process host = null;
        try (InstantUpstream upstream = new InstantUpstream()) {
            Path queries = writeData(root, domains, upstream.address().getPort());
            int unboundPort = freePort();
            Files.writeString(root.resolve("unbound.conf"), Files.readString(root.resolve("unbound.conf"))
                    .replace("PORT", Integer.toString(unboundPort)));
            long t0 = System.nanoTime();
            unbound = new ProcessBuilder(unboundBinary(), "-d", "-c", root.resolve("unbound.conf").toString())
                    .redirectErrorStream(true).redirectOutput(root.resolve("unbound.log").toFile()).start();
            awaitAnswer(unboundPort, 600);
            System.out.printf("unbound: %,d local zones loaded in %d ms%n", domains, (System.nanoTime() - t0) / 1_000_000);

            // native access as the appliance's jar grants it (its manifest's Enable-Native-Access): the UDP listener's batched path
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                    "--enable-native-access=ALL-UNNAMED"));
            String extra = System.getenv("OMAMORI_DNS_HOST_JVM");
            if (extra != null && !extra.isBlank()) {
                cmd.addAll(List.of(extra.trim().split("\\s+")));
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DnsFilterHost.class.getName(),
                    root.resolve("lists").toString(), root.resolve("spool").toString(), Integer.toString(upstream.address().getPort())));
            t0 = System.nanoTime();
            host = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader hostOut = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            String ready = hostOut.readLine();
            while (ready != null && !ready.startsWith("ready ") && !ready.startsWith("failed ")) {
                System.out.println("filter JVM: " + ready); // e.g. JFR's start line
                ready = hostOut.readLine();
            }
            if (ready == null || !ready.startsWith("ready ")) {
                throw new IllegalStateException("the filter did not start: " + ready);
            }
            int filterPort = Integer.parseInt(ready.split(" ")[1]);
            System.out.printf("filter: %s domains loaded, answering in %d ms (JVM: %s)%n", ready.split(" ")[2],
                    (System.nanoTime() - t0) / 1_000_000, cmd.subList(1, cmd.indexOf("-cp")));

            long[] loaded = memory(host.pid());
            System.out.println("warm-up (fills both caches, compiles the filter's hot code):");
            dnsperf(queries, unboundPort, 5, clients, outstanding);
            dnsperf(queries, filterPort, 5, clients, outstanding);
            dnsperf(queries, filterPort, 5, clients, outstanding);
            long[] warm = memory(host.pid());
            // whether the peak is the lists' loading or the queries: read after each
            System.out.printf("filter resident memory: %,d MB when ready (peak %,d MB), %,d MB after the warm-up (peak %,d MB)%n",
                    loaded[0] >> 10, loaded[1] >> 10, warm[0] >> 10, warm[1] >> 10);
            System.out.printf("%d s per run, dnsperf -c %s -q %s%n", seconds, clients, outstanding);
            double[] u = new double[4];
            double[] f = new double[5];
            PrintStream toHost = new PrintStream(host.getOutputStream(), true, StandardCharsets.UTF_8);
            for (int r = 0; r < rounds; r++) {
                long cu = cpuTicks(unbound.pid());
                Perf pu = dnsperf(queries, unboundPort, seconds, clients, outstanding);
                cu = cpuTicks(unbound.pid()) - cu;
                long[] a0 = allocated(toHost, hostOut);
                long cf = cpuTicks(host.pid());
                Perf pf = dnsperf(queries, filterPort, seconds, clients, outstanding);
                cf = cpuTicks(host.pid()) - cf;
                long[] a1 = allocated(toHost, hostOut);
                double usU = cu * 10_000.0 / pu.completed;
                double usF = cf * 10_000.0 / pf.completed;
                double bytesF = (double) (a1[0] - a0[0]) / Math.max(1, a1[1] - a0[1]);
                u[2] += usU;
                f[2] += usF;
                f[3] += bytesF;
                System.out.printf("round %d  unbound %,9.0f q/s %6.3f ms | filter %,9.0f q/s %6.3f ms, %,9.0f answered (not REFUSED)/s"
                                + " | filter/unbound answered rate %.2f, latency %.2f%n",
                        r + 1, pu.answered(), pu.avgMs, pf.qps, pf.avgMs, pf.answered(), pf.answered() / pu.answered(), pf.avgMs / pu.avgMs);
                System.out.printf("         unbound %s%n         filter  %s%n", pu.codes, pf.codes);
                System.out.printf("         CPU per query: unbound %.1f us, filter %.1f us (%.2f); filter allocates %,.0f bytes per query%n",
                        usU, usF, usF / usU, bytesF);
                u[0] += pu.answered();
                u[1] += pu.avgMs;
                f[0] += pf.answered();
                f[1] += pf.avgMs;
            }
            long[] mu = memory(unbound.pid());
            long[] mf = memory(host.pid());
            System.out.printf("%nmean of %d rounds (answered, not REFUSED): unbound %,.0f q/s %.3f ms, filter %,.0f q/s %.3f ms; filter/unbound rate %.2f, latency %.2f%n",
                    rounds, u[0] / rounds, u[1] / rounds, f[0] / rounds, f[1] / rounds, f[0] / u[0], f[1] / u[1]);
            System.out.printf("CPU per query (user + system, /proc): unbound %.1f us, filter %.1f us, filter/unbound %.2f; filter allocation %,.0f bytes per query%n",
                    u[2] / rounds, f[2] / rounds, f[2] / u[2], f[3] / rounds);
            System.out.printf("resident memory: unbound %,d MB (peak %,d MB), filter %,d MB (peak %,d MB); filter/unbound peak %.2f%n",
                    mu[0] >> 10, mu[1] >> 10, mf[0] >> 10, mf[1] >> 10, (double) mf[1] / mu[1]);
            host.getOutputStream().close();
            String line;
            while ((line = hostOut.readLine()) != null) {
                System.out.println(line);
            }
        } finally {
            for (Process p : new Process[] {host, unbound}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor();
                }
            }
            try (Stream<Path> s = Files.walk(root)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** dnsperf's rate and mean latency, the share of REFUSED answers (over a limit: no real answer) and its summary lines. */
    private record Perf(double qps, double avgMs, double refused, String codes, long completed) {
        /** Queries per second that got a real answer (not REFUSED). */
        double answered() {
            return qps * (1 - refused);
        }
    }

    private static final Pattern QPS = Pattern.compile("Queries per second:\\s+([0-9.]+)");
    private static final Pattern COMPLETED = Pattern.compile("Queries completed:\\s+([0-9]+)");
    private static final Pattern AVG = Pattern.compile("Average Latency \\(s\\):\\s+([0-9.]+)");
    private static final Pattern REFUSED = Pattern.compile("REFUSED \\d+ \\(([0-9.]+)%\\)");
    private static final Pattern CODES = Pattern.compile("(Queries lost:.*|Response codes:.*)");

    private static Perf dnsperf(Path queries, int port, int seconds, String clients, String outstanding) throws Exception {
        Process p = new ProcessBuilder("dnsperf", "-s", "127.0.0.1", "-p", Integer.toString(port), "-d", queries.toString(),
                "-c", clients, "-q", outstanding, "-l", Integer.toString(seconds)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("dnsperf failed:\n" + out);
        }
        Matcher q = QPS.matcher(out);
        Matcher a = AVG.matcher(out);
        if (!q.find() || !a.find()) {
            throw new IllegalStateException("dnsperf said:\n" + out);
        }
        StringBuilder codes = new StringBuilder();
        Matcher c = CODES.matcher(out);
        while (c.find()) {
            codes.append(c.group(1).strip()).append("; ");
        }
        Matcher refused = REFUSED.matcher(out);
        double share = refused.find() ? Double.parseDouble(refused.group(1)) / 100 : 0;
        Matcher done = COMPLETED.matcher(out);
        long completed = done.find() ? Long.parseLong(done.group(1)) : 1;
        return new Perf(Double.parseDouble(q.group(1)), Double.parseDouble(a.group(1)) * 1000, share, codes.toString(), completed);
    }

    /** User and system CPU of a process so far, in clock ticks (10 ms): fields 14 and 15 of /proc/PID/stat. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The filter JVM's bytes allocated so far and its queries, asked over its standard input. */
    private static long[] allocated(PrintStream toHost, BufferedReader fromHost) throws IOException {
        toHost.println("alloc");
        String line = fromHost.readLine();
        while (line != null && !line.startsWith("alloc ")) {
            System.out.println("filter JVM: " + line);
            line = fromHost.readLine();
        }
        if (line == null) {
            throw new IllegalStateException("the filter JVM ended");
        }
        String[] p = line.split(" ");
        return new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])};
    }

    /** Current and peak resident set of a process, KiB. */
    private static long[] memory(long pid) throws IOException {
        long rss = 0;
        long hwm = 0;
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                rss = Long.parseLong(l.replaceAll("\\D", ""));
            } else if (l.startsWith("VmHWM:")) {
                hwm = Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return new long[] {rss, hwm};
    }

    /** Lists, unbound's configuration (port left as PORT) and dnsperf's query file; returns the query file. */
    private static Path writeData(Path root, int count, int upstreamPort) throws IOException {
        SplittableRandom r = new SplittableRandom(20261123L);
        Set<String> listed = new HashSet<>(count * 2);
        String[] domains = new String[count];
        for (int i = 0; i < count; i++) {
            String d;
            do {
                d = label(r, 6, 14) + "." + TLDS[r.nextInt(TLDS.length)];
            } while (!listed.add(d));
            domains[i] = d;
        }
        Path lists = root.resolve("lists");
        String[] categories = {"malware", "phishing"};
        BufferedWriter[] w = new BufferedWriter[categories.length];
        for (int c = 0; c < categories.length; c++) {
            Files.createDirectories(lists.resolve(categories[c]));
            w[c] = Files.newBufferedWriter(lists.resolve(categories[c]).resolve("domains"), StandardCharsets.US_ASCII);
        }
        Files.writeString(lists.resolve("categories.conf"),
                "malware | block | high | マルウェア | Malware\nphishing | block | high | フィッシング | Phishing\n");
        try (BufferedWriter conf = Files.newBufferedWriter(root.resolve("unbound.conf"), StandardCharsets.US_ASCII)) {
            conf.write("server:\n  interface: 127.0.0.1\n  port: PORT\n  num-threads: 2\n  do-daemonize: no\n  username: \"\"\n"
                    + "  chroot: \"\"\n  directory: \"" + root + "\"\n  pidfile: \"\"\n  use-syslog: no\n  logfile: \"\"\n"
                    + "  verbosity: 0\n  module-config: \"iterator\"\n  do-not-query-localhost: no\n"
                    + "  access-control: 127.0.0.0/8 allow\n  so-rcvbuf: 4m\n");
            for (int i = 0; i < count; i++) {
                w[i % w.length].write(domains[i]);
                w[i % w.length].write('\n');
                conf.write("  local-zone: \"" + domains[i] + ".\" always_nxdomain\n");
            }
            conf.write("forward-zone:\n  name: \".\"\n  forward-addr: 127.0.0.1@" + upstreamPort + "\n");
        }
        for (BufferedWriter b : w) {
            b.close();
        }
        Path queries = root.resolve("queries.txt");
        SplittableRandom q = new SplittableRandom(7L);
        String[] allowed = new String[ALLOWED_NAMES];
        for (int i = 0; i < allowed.length; i++) {
            String a;
            do {
                a = label(q, 5, 12) + ".allowed-" + TLDS[q.nextInt(TLDS.length)];
            } while (listed.contains(a));
            allowed[i] = a;
        }
        try (BufferedWriter out = Files.newBufferedWriter(queries, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < BLOCKED_NAMES; i++) {
                out.write(label(q, 3, 8) + "." + domains[q.nextInt(count)] + " A\n");
                out.write(allowed[i % allowed.length] + " A\n");
            }
        }
        return queries;
    }

    private static String label(SplittableRandom r, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = LETTERS.charAt(r.nextInt(i == 0 ? 26 : LETTERS.length()));
        }
        return new String(c);
    }

    private static String unboundBinary() {
        return Files.isExecutable(Path.of("/usr/sbin/unbound")) ? "/usr/sbin/unbound" : "unbound";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits until a DNS server on the port answers a query (unbound parses its zones first). */
    private static void awaitAnswer(int port, int seconds) throws Exception {
        byte[] q = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 4, 'p', 'r', 'o', 'b', 0, 0, 1, 0, 1};
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(200);
            while (System.nanoTime() < deadline) {
                s.send(new DatagramPacket(q, q.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                try {
                    byte[] b = new byte[512];
                    s.receive(new DatagramPacket(b, b.length));
                    return;
                } catch (java.net.SocketTimeoutException e) {
                    // not yet
                }
            }
        }
        throw new IllegalStateException("no answer on port " + port + " within " + seconds + " s");
    }
}
