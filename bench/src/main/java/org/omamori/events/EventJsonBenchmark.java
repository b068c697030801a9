package org.omamori.events;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One event to its spooled JSON, as the DNS filter's event thread does for every blocked lookup
 * (issue 18): {@code now} is {@link EventCodec#toJson}, {@code before} the encoder before the field
 * names and enum values were encoded once ({@link LegacyEventJson}). The same 64 events in both:
 * DNS blocks with the Japanese category name, allowed names folded with a count, an IPS block with
 * a MAC; the set-up fails the trial unless both give the same bytes for each.
 *
 * <pre>java -jar bench/target/benchmarks.jar EventJsonBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
public class EventJsonBenchmark {

    static final int EVENTS = 64;
    private final List<Event> events = new ArrayList<>();

    @Setup
    public void setUp() throws Exception {
        ApplianceId appliance = new ApplianceId("00a0de5e0d00");
        EventIds ids = new EventIds();
        InetAddress client = InetAddress.getByName("192.168.1.10");
        InetAddress resolver = InetAddress.getByName("192.0.2.53");
        Instant t = Instant.parse("2026-12-06T01:00:00.123456Z");
        for (int i = 0; i < EVENTS; i++) {
            String name = "sub" + i + ".blocked" + (i * 7919 % 1000) + ".example";
            Event e = switch (i % 4) {
                case 0, 1 -> new Event(ids.next(), appliance, t, Kind.THREAT, ZonePair.LAN_TO_WAN, client, 40000 + i, resolver, 53,
                        Optional.empty(), name, "", name, SecurityFunction.URL_FILTERING, "urlfilter", "1.0.0", "category:phishing",
                        "フィッシング詐欺 / Phishing", Result.BLOCK, Level.HIGH, 100, Evidence.PHISHING, "");
                case 2 -> new Event(ids.next(), appliance, t, Kind.ACCESS, ZonePair.LAN_TO_WAN, client, 40000 + i, resolver, 53,
                        Optional.empty(), "", "", "www" + i + ".example.co.jp", SecurityFunction.URL_FILTERING, "urlfilter", "1.0.0",
                        "", "", Result.PASS, Level.LOW, 100, Evidence.NONE, "").withCount(120, t.plusSeconds(59));
                default -> new Event(ids.next(), appliance, t, Kind.THREAT, ZonePair.LAN_TO_WAN, client, 40000 + i,
                        InetAddress.getByName("203.0.113.7"), 443, Optional.of(MacAddress.parse("00:1a:2b:3c:4d:5e")), "evil.example",
                        "https://evil.example/gate.php?id=" + i, "", SecurityFunction.IPS, "ips-hyperscan", "1.0.0", "sid:2024001",
                        "ET MALWARE 検知 \"quoted\"", Result.BLOCK, Level.CRITICAL, 90, Evidence.INFECTION, "note\\with escapes");
            };
            if (!Arrays.equals(EventCodec.toJson(e), LegacyEventJson.toJson(e))) {
                throw new IllegalStateException("the encoders differ on " + e);
            }
            events.add(e);
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void now(Blackhole bh) {
        for (Event e : events) {
            bh.consume(EventCodec.toJson(e));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void before(Blackhole bh) {
        for (Event e : events) {
            bh.consume(LegacyEventJson.toJson(e));
        }
    }
}
