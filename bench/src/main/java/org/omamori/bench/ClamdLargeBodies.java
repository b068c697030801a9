package org.omamori.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.omamori.engine.av.clamd.Clamd;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.engine.av.clamd.ClamdLimits;
import org.omamori.engine.av.clamd.ScanResult;
import org.omamori.engine.av.clamd.StreamScan;

/**
 * Where the time of one 10 MiB scan goes on the clamd side: the same new random body (a fresh
 * one per scan, so clamd's clean-file cache never answers) sent as the proxy hands it (16 KiB
 * slices) or in larger pieces, over TCP or clamd's local socket, and, for e2guardian's way,
 * written to a file that clamd is asked to {@code SCAN} by path. Variants alternate within each
 * round. Prints milliseconds per scan (median) and MB/s.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.ClamdLargeBodies [rounds=10] [clamd dir=run/clamd] [port=3399]</pre>
 */
public final class ClamdLargeBodies {

    private static final int BODY = 10 << 20;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path clamdDir = Path.of(args.length > 1 ? args[1] : "run/clamd").toAbsolutePath();
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 3399;
        Path socket = clamdDir.resolve("clamd.sock");
        Path scanDir = Files.createDirectories(clamdDir.resolve("tmp/bench-scan"));
        ClamdLimits limits = ClamdLimits.of(Duration.ofSeconds(60), 4, 64L << 20);
        Map<String, List<Long>> nanos = new LinkedHashMap<>();
        Map<String, long[]> cpu = new LinkedHashMap<>(); // clamd CPU ms, this JVM's CPU ms, scans
        long clamdPid = Long.parseLong(Files.readString(clamdDir.resolve("clamd.pid")).strip());
        SplittableRandom random = new SplittableRandom(3);
        byte[] body = new byte[BODY];
        try (Clamd tcp = new Clamd(new ClamdAddress("127.0.0.1", port), limits);
             Clamd tcpSliceChunks = new Clamd(new ClamdAddress("127.0.0.1", port), limits.withChunkBytes(16 << 10));
             Clamd local = new Clamd(ClamdAddress.localSocket(socket), limits)) {
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                Map<String, Scan> variants = new LinkedHashMap<>();
                variants.put("INSTREAM tcp, 16 KiB slices", () -> stream(tcp, body, 16 << 10));
                variants.put("INSTREAM tcp, 256 KiB pieces", () -> stream(tcp, body, 256 << 10));
                variants.put("INSTREAM tcp, 1 MiB pieces", () -> stream(tcp, body, 1 << 20));
                variants.put("INSTREAM local socket, 16 KiB", () -> stream(local, body, 16 << 10));
                variants.put("INSTREAM local socket, 256 KiB", () -> stream(local, body, 256 << 10));
                // As behind the proxy: slices arrive one at a time (a 100 us pause each), so clamd's reader
                // wakes per INSTREAM chunk; one chunk per slice against slices gathered into 256 KiB.
                // chunkBytes 16 KiB: one INSTREAM chunk per slice, as before issue 18; the default gathers 256 KiB.
                variants.put("paced 16 KiB, one chunk per slice", () -> paced(tcpSliceChunks, body));
                variants.put("paced 16 KiB, gathered (default)", () -> paced(tcp, body));
                variants.put("file + SCAN path (e2guardian)", () -> scanPath(socket, scanDir, body));
                List<String> order = new ArrayList<>(variants.keySet());
                if (round % 2 != 0) {
                    java.util.Collections.reverse(order);
                }
                for (String name : order) {
                    random.nextBytes(body);
                    long clamdBefore = cpuMillis(clamdPid);
                    long jvmBefore = jvmCpuMillis();
                    long t = System.nanoTime();
                    String verdict = variants.get(name).run();
                    long took = System.nanoTime() - t;
                    long[] c = cpu.computeIfAbsent(name, k -> new long[3]);
                    if (round >= 0) {
                        c[0] += cpuMillis(clamdPid) - clamdBefore;
                        c[1] += jvmCpuMillis() - jvmBefore;
                        c[2]++;
                    }
                    if (!verdict.endsWith("OK")) {
                        throw new IllegalStateException(name + ": " + verdict);
                    }
                    if (round >= 0) {
                        nanos.computeIfAbsent(name, k -> new ArrayList<>()).add(took);
                    }
                }
            }
        } finally {
            try (var files = Files.list(scanDir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(scanDir);
        }
        long base = median(nanos.values().iterator().next());
        System.out.printf("%-34s %10s %10s %10s %14s %14s%n", "10 MiB, new content each", "ms median", "MB/s", "vs first",
                "clamd CPU ms", "client CPU ms");
        for (Map.Entry<String, List<Long>> e : nanos.entrySet()) {
            long m = median(e.getValue());
            long[] c = cpu.get(e.getKey());
            System.out.printf("%-34s %10.1f %10.1f %9.2fx %14.1f %14.1f%n", e.getKey(), m / 1e6, BODY / 1048576.0 / (m / 1e9),
                    (double) base / m, (double) c[0] / c[2], (double) c[1] / c[2]);
        }
        System.out.println("(CPU per scan, mean; on a shared machine the CPU columns are steadier than the wall times)");
    }

    interface Scan {
        String run() throws Exception;
    }

    private static String stream(Clamd clamd, byte[] body, int piece) throws Exception {
        try (StreamScan scan = clamd.openStream()) {
            for (int off = 0; off < body.length; off += piece) {
                scan.send(ByteBuffer.wrap(body, off, Math.min(piece, body.length - off)));
            }
            return switch (scan.finish()) {
                case ScanResult.Clean c -> "OK";
                case ScanResult.Infected i -> i.signature();
                case ScanResult.TooLarge t -> "too large";
                case ScanResult.Failed f -> f.reason();
            };
        }
    }

    private static String paced(Clamd clamd, byte[] body) throws Exception {
        try (StreamScan scan = clamd.openStream()) {
            for (int off = 0; off < body.length; off += 16 << 10) {
                scan.send(ByteBuffer.wrap(body, off, Math.min(16 << 10, body.length - off)));
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            return scan.finish() instanceof ScanResult.Clean ? "OK" : "not clean";
        }
    }

    /** e2guardian's way: the body in a file clamd may read, then {@code zSCAN path} on the local socket. */
    private static String scanPath(Path socket, Path dir, byte[] body) throws IOException {
        Path file = Files.createTempFile(dir, "body", ".bin");
        try {
            Files.write(file, body);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                ch.write(ByteBuffer.wrap(("zSCAN " + file + "\0").getBytes(StandardCharsets.UTF_8)));
                ByteBuffer reply = ByteBuffer.allocate(4096);
                while (ch.read(reply) >= 0 && (reply.position() == 0 || reply.get(reply.position() - 1) != 0)) {
                    // until the NUL
                }
                return new String(reply.array(), 0, Math.max(0, reply.position() - 1), StandardCharsets.UTF_8);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** utime + stime of a process in ms, from /proc (clock ticks of 10 ms). */
    static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    static long jvmCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
