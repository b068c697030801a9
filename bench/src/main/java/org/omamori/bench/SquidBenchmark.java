package org.omamori.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.SquidRewriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Squid url_rewrite helper throughput: 1,000,000 request lines as Squid writes them (with and
 * without channel ids), half of them hits, read from memory and answered to a null stream.
 * The score is lines per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SquidBenchmark {

    private static final int LINES = 1_000_000;

    @Param({"false", "true"})
    public boolean channelIds;

    private Path root;
    private SquidRewriter rewriter;
    private byte[] input;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String[] domains = SyntheticLists.domains(1_000_000);
        root = SyntheticLists.write(domains);
        rewriter = new SquidRewriter(CategoryLists.load(root), "http://omamori.invalid/blocked");
        String[] hosts = SyntheticLists.queries(domains, new HashSet<>(List.of(domains)), 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream(LINES * 80);
        for (int i = 0; i < LINES; i++) {
            String line = (channelIds ? (i % 64) + " " : "") + "http://" + hosts[i & 0xFFFF] + "/path/page" + (i & 7)
                    + ".html 192.0.2." + (i & 255) + "/- - GET myip=192.0.2.1 myport=3128\n";
            out.write(line.getBytes(StandardCharsets.US_ASCII));
        }
        input = out.toByteArray();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SyntheticLists.delete(root);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public long serveMillionLines() throws Exception {
        return rewriter.serve(new ByteArrayInputStream(input), OutputStream.nullOutputStream());
    }
}
