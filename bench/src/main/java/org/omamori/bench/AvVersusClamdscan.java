package org.omamori.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.Clamd;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.engine.av.clamd.ClamdLimits;
import org.omamori.engine.av.clamd.StreamScan;

/**
 * Wall time of scanning 1,000 files of mixed sizes (1 KiB to 10 MiB, log-uniform, fixed seed)
 * through the antivirus engine against {@code clamdscan --stream} of the same files with the
 * same daemon, in one run, alternating A-B-B-A so drift hits both; then the latency the engine
 * adds to a 10 KiB file over a bare INSTREAM of our client. Not a JMH benchmark: the subject is
 * a daemon in another process, measured by wall time. Needs the project's clamd running
 * ({@code scripts/clamd.sh start}).
 *
 * <pre>java -cp bench/target/benchmarks.jar org.omamori.bench.AvVersusClamdscan [files] [clamd.conf]</pre>
 */
public final class AvVersusClamdscan {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path config = Path.of(args.length > 1 ? args[1] : "run/clamd/clamd.conf").toAbsolutePath();
        // Over the same transport as clamdscan uses with that config: its LocalSocket when set, else TCP.
        String localSocket = Files.readAllLines(config).stream().filter(l -> l.startsWith("LocalSocket "))
                .map(l -> l.substring("LocalSocket ".length()).trim()).findFirst().orElse(null);
        ClamdAddress address = localSocket != null ? ClamdAddress.localSocket(Path.of(localSocket)) : new ClamdAddress("127.0.0.1", 3399);
        System.out.println("clamd at " + address);
        Path dir = Files.createTempDirectory("omamori-av-bench");
        try {
            List<Path> files = makeFiles(dir, count);
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            System.out.printf("%d files, %.1f MB (1 KiB to 10 MiB, log-uniform)%n", files.size(), bytes / 1e6);
            AvSettings settings = new AvSettings(address, true, 64L << 20, Duration.ofSeconds(60), 2);
            try (AvEngine engine = new AvEngine("bench", settings)) {
                engineScan(engine, files.subList(0, Math.min(50, files.size()))); // warm up both
                clamdscan(config, files.subList(0, Math.min(50, files.size())));
                long[] engineNanos = new long[2];
                long[] clamdscanNanos = new long[2];
                engineNanos[0] = engineScan(engine, files);
                clamdscanNanos[0] = clamdscan(config, files);
                clamdscanNanos[1] = clamdscan(config, files);
                engineNanos[1] = engineScan(engine, files);
                double e = (engineNanos[0] + engineNanos[1]) / 2e9;
                double c = (clamdscanNanos[0] + clamdscanNanos[1]) / 2e9;
                System.out.printf("engine:                %.2f s  %.0f MB/s   (runs %.2f s, %.2f s)%n", e, bytes / 1e6 / e,
                        engineNanos[0] / 1e9, engineNanos[1] / 1e9);
                System.out.printf("clamdscan --stream:    %.2f s  %.0f MB/s   (runs %.2f s, %.2f s)%n", c, bytes / 1e6 / c,
                        clamdscanNanos[0] / 1e9, clamdscanNanos[1] / 1e9);
                System.out.printf("engine / clamdscan:    %.3f  (the issue allows at most 1.10)%n", e / c);

                byte[] tenKiB = new byte[10 * 1024];
                new Random(3).nextBytes(tenKiB);
                long[] viaEngine = new long[400];
                long[] bare = new long[400];
                try (Clamd clamd = new Clamd(address, ClamdLimits.DEFAULTS)) {
                    for (int i = 0; i < viaEngine.length; i++) {
                        long t0 = System.nanoTime();
                        scanBytes(engine, tenKiB);
                        viaEngine[i] = System.nanoTime() - t0;
                        t0 = System.nanoTime();
                        try (StreamScan s = clamd.openStream()) {
                            s.send(ByteBuffer.wrap(tenKiB));
                            s.finish();
                        }
                        bare[i] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(viaEngine);
                Arrays.sort(bare);
                System.out.printf("10 KiB file, median:   engine %.0f µs, bare INSTREAM %.0f µs, added %.0f µs%n",
                        viaEngine[200] / 1e3, bare[200] / 1e3, (viaEngine[200] - bare[200]) / 1e3);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Deterministic files: text-like bytes, sizes log-uniform between 1 KiB and 10 MiB. */
    static List<Path> makeFiles(Path dir, int count) throws IOException {
        Random random = new Random(11);
        byte[] words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < block.length; i++) {
            block[i] = (i % 97 == 0) ? (byte) random.nextInt(256) : words[random.nextInt(words.length)];
        }
        List<Path> files = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int size = (int) Math.round(1024 * Math.pow(10 * 1024, random.nextDouble()));
            Path f = dir.resolve("file-" + n + ".txt");
            try (var out = Files.newOutputStream(f)) {
                int offset = random.nextInt(1024);
                for (int written = 0; written < size; ) {
                    int len = Math.min(size - written, block.length - offset);
                    out.write(block, offset, len);
                    written += len;
                    offset = 0;
                }
            }
            files.add(f);
        }
        return files;
    }

    static long engineScan(AvEngine engine, List<Path> files) throws IOException {
        long t0 = System.nanoTime();
        byte[] buffer = new byte[64 * 1024];
        for (Path f : files) {
            try (Inspection i = engine.inspect(InspectionRequest.other().url(f.toUri().toString()).build());
                 InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    i.body(Direction.RESPONSE, ByteBuffer.wrap(buffer, 0, n));
                }
                i.endOfBody(Direction.RESPONSE);
                if (i.verdict().intervenes() || i.verdict().finding().isPresent()) {
                    throw new IllegalStateException(f + ": " + i.verdict());
                }
            }
        }
        return System.nanoTime() - t0;
    }

    static Verdict scanBytes(AvEngine engine, byte[] body) {
        try (Inspection i = engine.inspect(InspectionRequest.other().url("bench:10k").build())) {
            i.body(Direction.RESPONSE, ByteBuffer.wrap(body));
            i.endOfBody(Direction.RESPONSE);
            return i.verdict();
        }
    }

    static long clamdscan(Path config, List<Path> files) throws Exception {
        Path list = Files.createTempFile("omamori-av-bench", ".list");
        Files.write(list, files.stream().map(Path::toString).toList());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("clamdscan", "--stream", "--no-summary", "--config-file=" + config, "--file-list=" + list)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        long nanos = System.nanoTime() - t0;
        Files.delete(list);
        if (rc != 0) {
            throw new IllegalStateException("clamdscan exited " + rc + ": " + output.lines().limit(5).toList());
        }
        return nanos;
    }
}
