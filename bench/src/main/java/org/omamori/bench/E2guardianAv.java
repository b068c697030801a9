package org.omamori.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.proxy.DestinationPolicy;
import org.omamori.proxy.Listener;
import org.omamori.proxy.ProxyRuntime;
import org.omamori.proxy.ProxySettings;

/**
 * 10 MiB downloads with antivirus on: Debian's e2guardian with its clamdscan content scanner
 * against our proxy with all engines, both on the SAME clamd (the one {@code scripts/clamd.sh}
 * started: e2guardian on its local socket, ours with the appliance's default settings, which take the
 * local socket by FILDES, and with {@code clamdSocket=none}, on its TCP port), in
 * one run, rounds alternating A-B-B-A. nginx serves one 256 MiB random file; wrk asks for
 * 10 MiB byte ranges at a different 4 KiB-aligned offset each request, so every body is new
 * content and no cache (clamd's clean-file cache, our answer cache) helps either side. Both
 * proxies answer 206 and scan the range (checked first: EICAR in a 10 MiB body must be caught
 * by both). Prints MB/s per round and the ratio ours / e2guardian.
 *
 * <pre>
 * bash scripts/bench-tools.sh && bash scripts/clamd.sh start
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar org.omamori.bench.E2guardianAv \
 *     [seconds=10] [rounds=2] [connections=4] [clamd state dir=run/clamd] [clamd port=3399]
 * </pre>
 * Needs root (e2guardian drops to clamd's user so that clamd can read its temp files).
 */
public final class E2guardianAv {

    private static final Pattern TRANSFER = Pattern.compile("Transfer/sec:\\s+([0-9.]+)(B|KB|MB|GB)");
    private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");
    private static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    private static final int POOL_MIB = 256;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path clamdDir = Path.of(args.length > 3 ? args[3] : "run/clamd").toAbsolutePath();
        int clamdPort = args.length > 4 ? Integer.parseInt(args[4]) : 3399;
        Path socket = clamdDir.resolve("clamd.sock");
        if (!Files.exists(socket)) {
            throw new IllegalStateException("no clamd local socket at " + socket + " (scripts/clamd.sh start)");
        }
        String clamdUser = Files.getOwner(socket).getName();
        long clamdPid = Long.parseLong(Files.readString(clamdDir.resolve("clamd.pid")).strip());
        Path dir = Files.createTempDirectory("omamori-e2g-av");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int nginxPort = freePort();
        int e2gPort = freePort();
        Process nginx = startNginx(dir, nginxPort);
        Process e2g = startE2guardian(dir, e2gPort, socket, clamdUser);
        String origin = "127.0.0.1:" + nginxPort;
        Path lua = dir.resolve("ranges.lua");
        Files.writeString(lua, """
                -- Each request a different 10 MiB range of the 256 MiB pool: new content every time.
                local counter = 0
                local threads = 0
                function setup(thread) thread:set("id", threads); threads = threads + 1 end
                function init(args) counter = id * 7919 end
                request = function()
                  counter = counter + 1
                  local offset = ((counter * 104729) %% %d) * 4096
                  return wrk.format("GET", "/pool.bin", {["Host"] = "ORIGIN", ["Range"] = "bytes=" .. offset .. "-" .. (offset + 10485759)})
                end
                """.formatted((POOL_MIB - 10) * 256));
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        try {
            ProxyLoad.waitForPort(nginxPort);
            ProxyLoad.waitForPort(e2gPort);
            // The appliance's default (clamdSocket=auto, resolved as AvComponent does): the home's run/clamd/clamd.sock,
            // which is clamd's own when its state folder is <home>/run/clamd, else a link to it in a home of our own.
            Path home = clamdDir.endsWith(Path.of("run", "clamd")) ? clamdDir.getParent().getParent() : linkedHome(dir, socket);
            AvSettings byDefault = avOn(AvSettings.clamd(home, AvSettings.AUTO_SOCKET, "127.0.0.1", clamdPort));
            AvSettings tcp = avOn(AvSettings.clamd(home, AvSettings.NO_SOCKET, "127.0.0.1", clamdPort));
            try (ProxyLoad.Engines viaDefault = new ProxyLoad.Engines(byDefault); ProxyRuntime oursDefault = proxy(viaDefault);
                 ProxyLoad.Engines viaTcp = new ProxyLoad.Engines(tcp); ProxyRuntime oursTcp = proxy(viaTcp)) {
                Map<String, String> proxies = new LinkedHashMap<>();
                proxies.put("e2guardian (clamdscan, local socket)", "http://127.0.0.1:" + e2gPort);
                proxies.put("ours, all engines, default settings", "http://127.0.0.1:" + oursDefault.addresses().get(0).getPort());
                proxies.put("ours, all engines (clamdSocket=none: TCP)", "http://127.0.0.1:" + oursTcp.addresses().get(0).getPort());
                System.out.println("default settings: clamd at " + byDefault.clamd() + ": " + viaDefault.av.clamd().transport());
                for (Map.Entry<String, String> p : proxies.entrySet()) {
                    checkInfectedIsCaught(p.getKey(), p.getValue(), origin);
                }
                List<String> names = new ArrayList<>(proxies.keySet());
                for (int round = -1; round < rounds; round++) { // round -1 warms up (the JIT compiles our paths)
                    List<String> order = new ArrayList<>(names);
                    if (round % 2 != 0) {
                        java.util.Collections.reverse(order);
                    }
                    for (String name : order) {
                        double mb = wrk(name, proxies.get(name), origin, lua, seconds, connections,
                                name.startsWith("e2guardian") ? e2gPid(dir) : ProcessHandle.current().pid(), clamdPid);
                        if (round >= 0) {
                            rates.computeIfAbsent(name, k -> new ArrayList<>()).add(mb);
                        }
                    }
                }
                System.out.println("default settings after the rounds: " + viaDefault.av.clamd().transport());
            }
        } finally {
            try {
                // It forks: the child named in the pid file serves, and takes a few seconds to stop.
                ProcessHandle child = ProcessHandle.of(e2gPid(dir)).orElse(null);
                if (child != null) {
                    child.destroy();
                    try {
                        child.onExit().get(15, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException slow) {
                        child.destroyForcibly();
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // never started, or already gone
            }
            e2g.destroy();
            nginx.destroy();
            for (Process p : List.of(e2g, nginx)) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            deleteTree(dir);
        }
        List<Double> e2 = rates.values().iterator().next();
        System.out.printf("%n%-42s %s%n", "path (10 MiB ranges, " + connections + " connections)", "MB/s per round; ratio to e2guardian, same round");
        for (Map.Entry<String, List<Double>> r : rates.entrySet()) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.getValue().size(); i++) {
                line.append(e2.get(i) > 0 ? String.format("%8.1f (%.2fx)", r.getValue().get(i), r.getValue().get(i) / e2.get(i))
                        : String.format("%8.1f (  -  )", r.getValue().get(i))); // no e2guardian response that round
            }
            System.out.printf("%-42s %s%n", r.getKey(), line);
        }
    }

    private static long e2gPid(Path dir) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("e2g.pid")).strip());
    }

    /** A home whose run/clamd/clamd.sock is a link to clamd's socket, for a clamd state folder laid out otherwise. */
    private static Path linkedHome(Path dir, Path socket) throws IOException {
        Path home = dir.resolve("home");
        Path link = home.resolve(AvSettings.DEFAULT_SOCKET);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, socket);
        return home;
    }

    private static AvSettings avOn(ClamdAddress clamd) {
        AvSettings d = AvSettings.DEFAULTS;
        return new AvSettings(clamd, d.failOpen(), d.maxScanBytes(), d.scanTimeout(), d.maxConnections(), d.cacheTime());
    }

    /** Both proxies must scan what they pass: a 10 MiB body with EICAR in the middle never arrives whole. */
    private static void checkInfectedIsCaught(String name, String proxy, String origin) throws Exception {
        Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                "-x", proxy, "http://" + origin + "/eicar.bin").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        String[] f = out.split(" ");
        if (f.length == 2 && f[0].equals("200") && Long.parseLong(f[1]) == 10L << 20) {
            throw new IllegalStateException(name + " passed the infected 10 MiB file whole: not scanning, numbers meaningless");
        }
        System.out.println(name + ": infected 10 MiB body stopped (" + out + ")");
        p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H", "Range: bytes=4096-10489855",
                "-x", proxy, "http://" + origin + "/pool.bin").redirectErrorStream(true).start();
        out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        if (!out.equals("206 10485760")) {
            throw new IllegalStateException(name + " does not pass a clean 10 MiB range whole: " + out);
        }
    }

    private static ProxyRuntime proxy(ProxyLoad.Engines engines) throws IOException {
        LongAdder events = new LongAdder();
        ProxySettings settings = ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                .withDestinations(DestinationPolicy.DEFAULTS.allowing("127.0.0.1/32"));
        return ProxyRuntime.start(settings, engines.pipeline, new EventFactory(new ApplianceId("00a0de0be7c4")), list -> events.add(list.size()));
    }

    /** wrk through a forward proxy: absolute-form target, so the script's path is made absolute here. */
    /**
     * One wrk round; prints MB/s and the CPU per 10 MiB response of the proxy process and of
     * clamd (utime + stime from /proc): on a shared machine the CPU is the steadier measure.
     */
    private static double wrk(String name, String proxy, String origin, Path lua, int seconds, int connections,
                              long proxyPid, long clamdPid) throws Exception {
        Path script = lua.resolveSibling("ranges-" + Math.abs(proxy.hashCode()) + ".lua");
        Files.writeString(script, Files.readString(lua).replace("\"/pool.bin\"", "\"http://" + origin + "/pool.bin\"").replace("ORIGIN", origin));
        List<String> command = List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--timeout", "30s",
                "-s", script.toString(), proxy);
        long proxyCpu = ClamdLargeBodies.cpuMillis(proxyPid);
        long clamdCpu = ClamdLargeBodies.cpuMillis(clamdPid);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        proxyCpu = ClamdLargeBodies.cpuMillis(proxyPid) - proxyCpu;
        clamdCpu = ClamdLargeBodies.cpuMillis(clamdPid) - clamdCpu;
        if (out.contains("Non-2xx") || !TRANSFER.matcher(out).find()) {
            throw new IllegalStateException(name + ": failed or non-2xx answers; numbers would mean nothing\n" + out);
        }
        double mb = megabytes(out);
        Matcher n = REQUESTS.matcher(out);
        long requests = n.find() ? Long.parseLong(n.group(1)) : 0;
        System.out.printf("%-42s %8.1f MB/s  %4d responses, CPU per response: proxy %5.1f ms, clamd %5.1f ms%n", name, mb, requests,
                (double) proxyCpu / Math.max(1, requests), (double) clamdCpu / Math.max(1, requests));
        return mb;
    }

    private static double megabytes(String out) {
        Matcher m = TRANSFER.matcher(out);
        m.find();
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "B" -> v / (1 << 20);
            case "KB" -> v / 1024;
            case "GB" -> v * 1024;
            default -> v;
        };
    }

    private static Process startNginx(Path dir, int port) throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        SplittableRandom r = new SplittableRandom(11);
        byte[] mib = new byte[1 << 20];
        try (var out = Files.newOutputStream(www.resolve("pool.bin"))) {
            for (int i = 0; i < POOL_MIB; i++) {
                for (int j = 0; j < mib.length; j += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8; k++) {
                        mib[j + k] = (byte) (v >>> (8 * k));
                    }
                }
                out.write(mib);
            }
        }
        byte[] infected = new byte[10 << 20];
        r.nextBytes(infected);
        byte[] eicar = EICAR.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(eicar, 0, infected, 5 << 20, eicar.length);
        Files.write(www.resolve("eicar.bin"), infected);
        return Nginx.start(dir, port, 1024, "application/octet-stream bin;", "",
                List.of(www, www.resolve("pool.bin"), www.resolve("eicar.bin")));
    }

    /**
     * Debian's configuration copied into the temp dir, changed only where it must be: listen on
     * loopback, stay in the foreground, scan with clamdscan on our clamd's local socket, keep temp
     * files here, run as clamd's user (so clamd may read them), and let .bin files through (the
     * default banned-extension list refuses them, which would skip the scan).
     */
    private static Process startE2guardian(Path dir, int port, Path socket, String user) throws IOException, InterruptedException {
        Path etc = dir.resolve("e2g");
        Process copy = new ProcessBuilder("cp", "-r", "/etc/e2guardian", etc.toString()).inheritIO().start();
        if (copy.waitFor() != 0) {
            throw new IllegalStateException("cannot copy /etc/e2guardian (bash scripts/bench-tools.sh installs e2guardian)");
        }
        try (Stream<Path> files = Files.walk(etc)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (text.contains("/etc/e2guardian")) {
                    Files.writeString(f, text.replace("/etc/e2guardian", etc.toString()), java.nio.charset.StandardCharsets.ISO_8859_1);
                }
            }
        }
        Path cache = Files.createDirectories(dir.resolve("e2g-cache"));
        Path log = Files.createDirectories(dir.resolve("e2g-log"));
        Path conf = etc.resolve("e2guardian.conf");
        String c = Files.readString(conf)
                .replaceAll("(?m)^filterip =.*$", "filterip = 127.0.0.1")
                .replaceAll("(?m)^filterports = .*$", "filterports = " + port)
                .replaceAll("(?m)^nodaemon = .*$", "nodaemon = on")
                .replaceAll("(?m)^#contentscanner = '(.*clamdscan.conf)'", "contentscanner = '$1'")
                .replaceAll("(?m)^filecachedir = .*$", "filecachedir = '" + cache + "'")
                .replaceAll("(?m)^#pidfilename = .*$", "pidfilename = '" + dir.resolve("e2g.pid") + "'")
                .replaceAll("(?m)^#loglocation = .*$", "loglocation = '" + log.resolve("access.log") + "'")
                .replaceAll("(?m)^#daemonuser = .*$", "daemonuser = '" + user + "'")
                .replaceAll("(?m)^#daemongroup = .*$", "daemongroup = '" + user + "'");
        Files.writeString(conf, c);
        Path scanner = etc.resolve("contentscanners/clamdscan.conf");
        Files.writeString(scanner, Files.readString(scanner).replaceAll("(?m)^clamdudsfile = .*$", "clamdudsfile = '" + socket + "'"));
        Files.writeString(etc.resolve("lists/bannedextensionlist"), "");
        Files.writeString(etc.resolve("lists/bannedmimetypelist"), "");
        new ProcessBuilder("chown", "-R", user + ":", cache.toString(), log.toString()).inheritIO().start().waitFor();
        String bin = Files.isExecutable(Path.of("/usr/sbin/e2guardian")) ? "/usr/sbin/e2guardian" : "e2guardian";
        return new ProcessBuilder(bin, "-c", conf.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("e2g.out").toFile()).start();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
