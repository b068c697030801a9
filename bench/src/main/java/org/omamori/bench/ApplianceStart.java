package org.omamori.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The appliance's start as {@code ApplianceRuntimeTest} times it (bench/README.md "Appliance start"):
 * from launching the JVM to the URL filter, the IPS and the antivirus listed by the admin endpoint
 * and the proxy and DNS filter listening, for a first start in a new home and a restart. Runtimes
 * (folders with {@code omamori-appliance.jar}) are taken in turn, A B A B …, each in its own home.
 *
 * <pre>java -cp benchmarks.jar org.omamori.bench.ApplianceStart ROUNDS CLAMD_PORT LISTS RULES RUNTIME…</pre>
 *
 * A runtime written {@code plain:DIR} starts with {@code java -jar} alone; otherwise as the systemd
 * unit starts it, with {@code --jvm-options} asked at each start (that short JVM's time is printed
 * apart). Prints per start the wall time from the appliance JVM's launch and its CPU time (user and
 * system, all threads) at that moment: on a shared machine the CPU time is the steadier figure.
 */
public final class ApplianceStart {

    private ApplianceStart() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        String clamdPort = args[1];
        Path lists = Path.of(args[2]);
        Path rules = Path.of(args[3]);
        List<String> runtimes = Arrays.asList(args).subList(4, args.length);
        for (int round = 1; round <= rounds; round++) {
            for (int r = 0; r < runtimes.size(); r++) {
                String spec = runtimes.get(r);
                boolean plain = spec.startsWith("plain:");
                Path runtime = Path.of(plain ? spec.substring(6) : spec).toAbsolutePath();
                Path home = Files.createTempDirectory("appliance-start-");
                try {
                    home(home, lists, rules, clamdPort);
                    StringBuilder line = new StringBuilder("round " + round + " " + spec + ":");
                    for (String start : new String[] {"first", "restart"}) {
                        long[] t = start(runtime, home, plain);
                        line.append(String.format(" %s %d ms (cpu %d ms, options %d ms)", start, t[0], t[1], t[2]));
                    }
                    System.out.println(line);
                } finally {
                    delete(home);
                }
            }
        }
    }

    private static int proxyPort;
    private static int dnsPort;

    private static void home(Path home, Path lists, Path rules, String clamdPort) throws IOException {
        copy(lists, home.resolve("lists"));
        copy(rules, home.resolve("rules"));
        Path etc = Files.createDirectories(home.resolve("etc"));
        proxyPort = freePort();
        dnsPort = freePort();
        Files.writeString(etc.resolve("org.omamori.appliance.cfg"), "adminPort=0\n");
        Files.writeString(etc.resolve("org.omamori.proxy.cfg"), "listeners=explicit@127.0.0.1:" + proxyPort + "/lan\n");
        Files.writeString(etc.resolve("org.omamori.dns.cfg"), "listen=lan=127.0.0.1:" + dnsPort + "\n");
        Files.writeString(etc.resolve("org.omamori.engine.av.cfg"), "clamdPort = " + clamdPort + "\n");
    }

    /** {wall ms, cpu ms, --jvm-options ms} from launch to the engines in force and the intakes listening; then SIGTERM. */
    private static long[] start(Path runtime, Path home, boolean plain) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = runtime.resolve("omamori-appliance.jar").toString();
        Files.deleteIfExists(home.resolve("state/admin.port"));
        long asked = System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow"));
        if (!plain) {
            Process o = new ProcessBuilder(java, "-jar", jar, "--jvm-options").directory(home.toFile()).start();
            String options = new String(o.getInputStream().readAllBytes()).strip();
            o.waitFor();
            if (!options.isEmpty()) {
                cmd.addAll(List.of(options.split("\\s+")));
            }
        }
        cmd.addAll(List.of("-jar", jar));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("appliance.log").toFile()));
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        long t0 = System.nanoTime(); // the appliance JVM's launch, as ApplianceRuntimeTest times it
        Process p = pb.start();
        try {
            awaitEngines(home, p);
            long wall = (System.nanoTime() - t0) / 1_000_000;
            String[] stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat")).split("\\) ")[1].split(" ");
            long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime, stime: 100 a second on Linux
            return new long[] {wall, ticks * 10, (t0 - asked) / 1_000_000};
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the appliance did not stop in 30 s; log in " + home);
            }
        }
    }

    private static void awaitEngines(Path home, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpClient http = HttpClient.newHttpClient();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the appliance ended; log: " + Files.readString(home.resolve("appliance.log")));
            }
            Path portFile = home.resolve("state/admin.port");
            if (Files.exists(portFile)) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Files.readString(portFile).trim()
                            + "/engines")).header("Authorization", "Bearer " + Files.readString(home.resolve("state/admin.token")).trim()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    List<String> lines = r.body().lines().toList();
                    if (r.statusCode() == 200 && Stream.of("urlfilter\t", "ips\t", "av-clamav\t").allMatch(e -> lines.stream().anyMatch(l -> l.startsWith(e)))
                            && listening(proxyPort) && listening(dnsPort)) {
                        return;
                    }
                } catch (IOException notYet) {
                    // the endpoint is coming up
                }
            }
            Thread.sleep(20); // as RunningAppliance polls
        }
        throw new IllegalStateException("the engines did not come up in 60 s; log in " + home);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
