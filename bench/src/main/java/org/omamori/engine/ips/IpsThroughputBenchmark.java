package org.omamori.engine.ips;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.bytedeco.javacpp.BytePointer;
import org.omamori.api.engine.Connection;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.engine.ZonePair;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.hyperscan.Expression;
import org.omamori.hyperscan.MatchListener;
import org.omamori.hyperscan.Scanner;
import org.omamori.hyperscan.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Response bodies per second through the IPS engine, against a raw Hyperscan loop on the very
 * same compiled patterns and against {@code java.util.regex} running the same rules, on the
 * same payload bytes, one thread. The set-up checks that all three agree on which rules a
 * payload triggers and matches, and fails the trial if not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class IpsThroughputBenchmark {

    @Param({"1024", "65536", "1048576"})
    public int size;

    @Param({"1000"})
    public int rules;

    /**
     * {@code dense}: an attack page (at 1 KiB ten triggers and three complete matches; then one
     * trigger per 4 KiB, three matches at the end); {@code sparse}: typical traffic, one trigger per
     * 4 KiB (one in 1 KiB) and no match. See {@link IpsBenchData#payload} and {@link IpsBenchData#sparsePayload}.
     */
    @Param({"dense", "sparse"})
    public String payload;

    /**
     * A folder (or file) of real Suricata rules, e.g. an ET Open snapshot, loaded next to the
     * synthetic ones ({@code -p ruleDir=/path/to/rules}); {@code none}: the synthetic rules alone.
     * The engine and the raw loop then work on the real set's databases; the self-check still
     * holds the synthetic rules to their planted triggers and matches, and reports what the real
     * rules did on the payload. {@link #javaRegex} covers the synthetic rules only.
     */
    @Param({"none"})
    public String ruleDir = "none";

    /** Chunk size of the diagnostic {@link #engineChunked} variant. */
    static final int CHUNK = 16 * 1024;

    private Path folder;
    private IpsEngine engine;
    private CompiledRules compiled;
    private InspectionRequest request;
    private ByteBuffer heapPayload;
    private ByteBuffer directPayload;
    private ByteBuffer[] chunks;
    private ByteBuffer cleanPayload;
    private ByteBuffer cleanDirect;
    private BytePointer cleanPointer;
    private RawHyperscan raw;
    private RawExchange rawExchange;
    private BytePointer rawPointer;
    private Matcher[] matchers;
    private org.omamori.hyperscan.Database wrapped;
    private long wrappedMatches;
    private final MatchListener countWrapped = (id, from, to) -> {
        wrappedMatches++;
        return true;
    };

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        List<IpsBenchData.BenchRule> generated = IpsBenchData.rules(rules);
        CompiledRules.keepExpressions = true; // the raw baseline compiles what the engine compiled
        folder = IpsBenchData.write(generated);
        engine = new IpsEngine("bench", IpsSettings.DEFAULTS);
        List<Path> sources = ruleDir.equals("none") ? List.of(folder) : List.of(folder, Path.of(ruleDir));
        RuleSetSource files = RuleSets.source(sources, Variables.defaults(), Classtypes.standard(), n -> { });
        // The engine loads through the real parser and compiler; we keep a look at what it made.
        if (!engine.loadNow(settings -> compiled = files.compile(settings), IpsSettings.DEFAULTS)) {
            throw new IllegalStateException("the engine did not load the rules");
        }
        RuleSetReport report = compiled.report;
        long synthetic = Arrays.stream(compiled.rules).filter(r -> r != null && isSynthetic(r.rule.sid())).count();
        if (ruleDir.equals("none") ? report.loaded() != rules || report.skipped() != 0 || !report.errors().isEmpty()
                : synthetic != rules) {
            throw new IllegalStateException("expected " + rules + " synthetic rules in force, got " + synthetic + " of "
                    + report + " " + report.errors().stream().limit(3).toList());
        }
        if (!ruleDir.equals("none")) {
            System.out.printf("[rules] %s: %,d rules in force (%,d skipped, %,d failed), %,d response-stream patterns, "
                    + "%,d KiB of databases%n", ruleDir, report.loaded(), report.skipped(), report.errors().size(),
                    compiled.expressions.get(Side.RESPONSE).size(), report.databaseBytes() / 1024);
        }
        List<Expression> expressions = compiled.expressions.get(Side.RESPONSE);
        // The raw loop feeds the stream in the engine's own pieces (half its window), as the engine does.
        raw = new RawHyperscan(expressions, IpsSettings.DEFAULTS.windowBytes() / 2);
        wrapped = compiled.responseStream;

        IpsBenchData.Payload payload = switch (this.payload) {
            case "dense" -> IpsBenchData.payload(size, generated);
            case "sparse" -> IpsBenchData.sparsePayload(size, generated);
            default -> throw new IllegalArgumentException("payload must be dense or sparse: " + this.payload);
        };
        byte[] bytes = payload.bytes();
        heapPayload = ByteBuffer.wrap(bytes);
        directPayload = ByteBuffer.allocateDirect(bytes.length).put(0, bytes);
        rawPointer = RawHyperscan.pointer(directPayload);
        chunks = new ByteBuffer[(bytes.length + CHUNK - 1) / CHUNK];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = ByteBuffer.wrap(bytes, i * CHUNK, Math.min(CHUNK, bytes.length - i * CHUNK)).slice();
        }
        byte[] clean = IpsBenchData.cleanPayload(size);
        cleanPayload = ByteBuffer.wrap(clean);
        cleanDirect = ByteBuffer.allocateDirect(clean.length).put(0, clean);
        cleanPointer = RawHyperscan.pointer(cleanDirect);
        String chars = new String(bytes, StandardCharsets.ISO_8859_1);
        matchers = generated.stream().map(r -> r.javaPattern().matcher(chars)).toArray(Matcher[]::new);
        request = InspectionRequest.http("GET", "http://198.51.100.5/index.html")
                .connection(new Connection(ZonePair.LAN_TO_WAN, InetAddress.getByName("192.168.1.10"), 50123,
                        InetAddress.getByName("198.51.100.5"), 80, Optional.empty()))
                .build();

        selfCheck(generated, payload, expressions);
        rawExchange = new RawExchange(compiled, request, IpsSettings.DEFAULTS.windowBytes() / 2);
        selfCheckExchange(bytes);
    }

    /**
     * The exchange baseline must scan what the engine scans with Hyperscan for the benchmark's GET: the
     * same head buffers against the same databases with the same bytes, in the same order, the same raw
     * request head through the request stream, the same body through the response stream. The engine's
     * scans are read from {@link HeadScanners#trace} during one inspection as {@link #engine} makes it.
     */
    private void selfCheckExchange(byte[] body) {
        record Scan(Object database, byte[] bytes, boolean kept) {
        }
        List<Scan> seen = new java.util.ArrayList<>();
        HeadScanners.trace = (database, bytes, kept) -> {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            seen.add(new Scan(database, copy, kept));
        };
        try (Inspection inspection = engine.inspect(request)) {
            inspection.body(Direction.RESPONSE, heapPayload);
            inspection.endOfBody(Direction.RESPONSE);
            inspection.verdict();
        } finally {
            HeadScanners.trace = null;
        }
        List<String> engineHeads = new java.util.ArrayList<>();
        List<String> keptHeads = new java.util.ArrayList<>();
        java.io.ByteArrayOutputStream requestStream = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream responseStream = new java.io.ByteArrayOutputStream();
        int largestPiece = 0;
        for (Scan scan : seen) {
            if (scan.database() instanceof org.omamori.engine.ips.rules.Buffer b) {
                engineHeads.add(RawExchange.name(b) + " " + IpsBenchData.latin1(scan.bytes()));
                if (scan.kept()) {
                    keptHeads.add(RawExchange.name(b));
                }
            } else if (scan.database() == Side.REQUEST) {
                requestStream.writeBytes(scan.bytes());
            } else if (scan.database() == Side.RESPONSE) {
                responseStream.writeBytes(scan.bytes());
                largestPiece = Math.max(largestPiece, scan.bytes().length);
            } else {
                throw new IllegalStateException("unexpected scan of " + scan.database());
            }
        }
        List<String> rawHeads = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (RawExchange.Head h : rawExchange.heads()) {
            byte[] bytes = new byte[h.bytes().capacity()];
            h.bytes().get(0, bytes);
            rawHeads.add(RawExchange.name(h.buffer()) + " " + IpsBenchData.latin1(bytes));
            line.append(String.format("%s (%,d expressions, %,d KiB) %d B; ", RawExchange.name(h.buffer()), h.expressions(),
                    h.databaseBytes() / 1024, bytes.length));
        }
        byte[] rawHead = new byte[rawExchange.requestHead == null ? 0 : rawExchange.requestHead.capacity()];
        if (rawExchange.requestHead != null) {
            rawExchange.requestHead.get(0, rawHead);
        }
        boolean same = engineHeads.equals(rawHeads) && Arrays.equals(requestStream.toByteArray(), rawHead)
                && Arrays.equals(responseStream.toByteArray(), body) && largestPiece <= IpsSettings.DEFAULTS.windowBytes() / 2;
        String summary = "exchange baseline scans per op, block: " + line + "request stream (" + rawExchange.requestStreamExpressions
                + " expressions): the raw head, " + rawHead.length + " B; response stream: the body as rawHyperscan, " + body.length
                + " B. Searched in Java by the engine, no database, not scanned by raw: "
                + rawExchange.inJava.stream().map(RawExchange::name).toList() + ". The engine's Hyperscan scans of this GET: "
                + engineHeads.size() + " head buffers (matches handed over from the last same value: " + keptHeads + "), "
                + requestStream.size() + " B of request stream, " + responseStream.size() + " B of response stream: "
                + (same ? "the same" : "NOT the same; engine heads " + engineHeads + ", raw heads " + rawHeads);
        System.out.println("[self-check] " + summary);
        if (!same) {
            throw new IllegalStateException("the exchange baseline does not scan what the engine scans: " + summary);
        }
    }

    /** The synthetic rules are numbered 1..rules; a real set whose sids collide would blur the check. */
    private boolean isSynthetic(long sid) {
        return sid >= 1 && sid <= rules;
    }

    /**
     * All three variants must see the same synthetic rules in the payload; a disagreement fails
     * the trial. With a real rule set loaded too, its triggers and firings are counted and shown.
     */
    private void selfCheck(List<IpsBenchData.BenchRule> generated, IpsBenchData.Payload payload, List<Expression> expressions) {
        // Rule index (pattern id) to sid: the engine numbers runnable rules in file order; a dropped rule is null.
        int ruleCount = compiled.rules.length;
        long[] sidOf = new long[ruleCount];
        for (int i = 0; i < ruleCount; i++) {
            sidOf[i] = compiled.rules[i] == null ? -1 : compiled.rules[i].rule.sid();
        }
        // One trigger per streamed rule, then the literals confirmation looks up (ids from the rule count on: see Sightings).
        long syntheticTriggers = expressions.stream().filter(e -> e.id() < ruleCount && isSynthetic(sidOf[e.id()])).count();
        if (syntheticTriggers != rules || (ruleDir.equals("none") && expressions.size() != rules + compiled.sightingCount)) {
            throw new IllegalStateException("expected one response-stream pattern per synthetic rule (and per looked-up literal), got "
                    + syntheticTriggers + " of " + expressions.size());
        }
        Set<Integer> rawTriggers = new TreeSet<>();
        Set<Long> realTriggers = new TreeSet<>();
        for (int id : raw.matchingIds(rawPointer, size)) {
            if (id < ruleCount && isSynthetic(sidOf[id])) {
                rawTriggers.add((int) sidOf[id]);
            } else if (id < ruleCount) {
                realTriggers.add(sidOf[id]);
            }
        }
        Set<Integer> regexMatches = new TreeSet<>();
        for (int i = 0; i < matchers.length; i++) {
            if (matchers[i].reset().find()) {
                regexMatches.add(generated.get(i).sid());
            }
        }
        Set<Integer> engineFired = new TreeSet<>();
        Set<Long> realFired = new TreeSet<>();
        Verdict verdict;
        try (Inspection inspection = engine.inspect(request)) {
            inspection.body(Direction.RESPONSE, heapPayload);
            inspection.endOfBody(Direction.RESPONSE);
            verdict = inspection.verdict();
            RuleIndexes fired = firedOf(inspection); // null: the inspection fired nothing (the set is made at the first)
            for (int i = 0; fired != null && i < fired.size(); i++) {
                long sid = sidOf[fired.get(i)];
                if (isSynthetic(sid)) {
                    engineFired.add((int) sid);
                } else {
                    realFired.add(sid);
                }
            }
        }
        String summary = this.payload + " payload " + size + " B: planted triggers " + payload.triggerSids() + ", planted matches "
                + payload.confirmedSids() + "; raw Hyperscan triggers " + rawTriggers + ", engine fired " + engineFired
                + ", java.util.regex matched " + regexMatches + "; engine verdict " + verdict.action()
                + verdict.finding().map(f -> " " + f.ruleId()).orElse("")
                + (ruleDir.equals("none") ? "" : "; real rules: " + realTriggers.size() + " triggered " + realTriggers
                        + ", fired " + realFired);
        System.out.println("[self-check] " + summary);
        // A real rule may fire too (on the request or the filler); the verdict may then name it rather
        // than a planted match, and may be a pass when it is graded below blocking.
        boolean verdictAgrees = verdict.finding().isEmpty() ? payload.confirmedSids().isEmpty()
                : payload.confirmedSids().contains((int) findingSid(verdict)) || realFired.contains(findingSid(verdict));
        if (!rawTriggers.equals(payload.triggerSids()) || !engineFired.equals(payload.confirmedSids())
                || !regexMatches.equals(payload.confirmedSids()) || !verdictAgrees) {
            throw new IllegalStateException("the variants disagree: " + summary);
        }
        Verdict chunked = engineChunked();
        if (!chunked.equals(verdict)) {
            throw new IllegalStateException("chunked inspection gave " + chunked + ", whole body " + verdict);
        }
        // The clean payload (same filler, nothing planted) must trigger no synthetic rule anywhere,
        // and no rule at all in the engine unless a real rule fired on that filler in the payload too.
        long cleanRaw = raw.matchingIds(cleanPointer, size).stream()
                .filter(id -> id < ruleCount && isSynthetic(sidOf[id])).count();
        Verdict cleanVerdict = engineClean();
        String cleanChars = IpsBenchData.latin1(IpsBenchData.cleanPayload(size));
        long cleanRegex = generated.stream().filter(r -> r.javaPattern().matcher(cleanChars).find()).count();
        boolean cleanFindingOk = cleanVerdict.finding().isEmpty()
                || (!realFired.isEmpty() && !isSynthetic(findingSid(cleanVerdict)));
        if (cleanRaw != 0 || !cleanFindingOk || cleanRegex != 0) {
            throw new IllegalStateException("the clean payload matched: raw " + cleanRaw + " triggers, engine " + cleanVerdict
                    + ", regex " + cleanRegex + " rules");
        }
    }

    /** The sid a verdict's finding names (the engine's rule ids are {@code sid:N}). */
    private static long findingSid(Verdict verdict) {
        String id = verdict.finding().orElseThrow().ruleId();
        if (!id.startsWith("sid:")) {
            throw new IllegalStateException("unexpected rule id " + id);
        }
        return Long.parseLong(id.substring(4));
    }

    private static RuleIndexes firedOf(Inspection inspection) {
        try {
            Field f = IpsInspection.class.getDeclaredField("fired");
            f.setAccessible(true);
            return (RuleIndexes) f.get(inspection);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the rules an inspection fired", e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        raw.close();
        rawExchange.close();
        rawPointer.close();
        cleanPointer.close();
        IpsBenchData.delete(folder);
    }

    /** The IPS engine: one inspection of an HTTP GET, its whole response body as one chunk (heap buffer). */
    @Benchmark
    public Verdict engine() {
        try (Inspection inspection = engine.inspect(request)) {
            inspection.body(Direction.RESPONSE, heapPayload);
            inspection.endOfBody(Direction.RESPONSE);
            return inspection.verdict();
        }
    }

    /** Raw javacpp Hyperscan on the same patterns: open, scan in place, close; counts matches. */
    @Benchmark
    public long rawHyperscan() {
        return raw.scan(rawPointer, size);
    }

    /**
     * The exchange baseline: raw Hyperscan doing the native scans of the whole exchange on the engine's databases,
     * with nothing else: a block scan of each request head buffer the engine scans with a database (its bytes,
     * every time), the raw request head through the request stream, then the body exactly as {@link #rawHyperscan}.
     * See {@link RawExchange}.
     */
    @Benchmark
    public long rawExchange() {
        return rawExchange.scanRequest() + raw.scan(rawPointer, size);
    }

    /** {@link #rawExchange} with the clean payload: the baseline of {@link #engineClean} for the whole exchange. */
    @Benchmark
    public long rawExchangeClean() {
        return rawExchange.scanRequest() + raw.scan(cleanPointer, size);
    }

    /** Every rule as one java.util.regex pattern, find() over the payload as ISO-8859-1 text. */
    @Benchmark
    public int javaRegex() {
        int matched = 0;
        for (Matcher m : matchers) {
            if (m.reset().find()) {
                matched++;
            }
        }
        return matched;
    }

    // ---- where the engine's time goes (diagnostic variants, same payload) --------------------

    /** The engine with the payload in a direct buffer, as the raw loop has it (no staging copy). */
    @Benchmark
    public Verdict engineDirect() {
        try (Inspection inspection = engine.inspect(request)) {
            inspection.body(Direction.RESPONSE, directPayload);
            inspection.endOfBody(Direction.RESPONSE);
            return inspection.verdict();
        }
    }

    /** The engine with the body in {@value #CHUNK}-byte chunks, as a proxy hands it over: confirmation runs after each. */
    @Benchmark
    public Verdict engineChunked() {
        try (Inspection inspection = engine.inspect(request)) {
            for (ByteBuffer chunk : chunks) {
                inspection.body(Direction.RESPONSE, chunk);
            }
            inspection.endOfBody(Direction.RESPONSE);
            return inspection.verdict();
        }
    }

    /** The engine on the same filler with nothing planted: no candidate to confirm, so scan and bookkeeping only. */
    @Benchmark
    public Verdict engineClean() {
        try (Inspection inspection = engine.inspect(request)) {
            inspection.body(Direction.RESPONSE, cleanPayload);
            inspection.endOfBody(Direction.RESPONSE);
            return inspection.verdict();
        }
    }

    /** {@link #engineClean} with the body in a direct buffer: no copy into the wrapper's staging buffer. */
    @Benchmark
    public Verdict engineCleanDirect() {
        try (Inspection inspection = engine.inspect(request)) {
            inspection.body(Direction.RESPONSE, cleanDirect);
            inspection.endOfBody(Direction.RESPONSE);
            return inspection.verdict();
        }
    }

    /** The raw loop on the clean payload: the baseline of {@link #engineClean}. */
    @Benchmark
    public long rawClean() {
        return raw.scan(cleanPointer, size);
    }

    /** Omamori's Hyperscan wrapper on the engine's own response database: a stream per payload, counting. */
    @Benchmark
    public long wrapperStream() {
        long before = wrappedMatches;
        Stream stream;
        try (Scanner scanner = wrapped.scanner()) {
            stream = scanner.openStream();
        }
        stream.scan(directPayload, countWrapped);
        stream.end(countWrapped);
        return wrappedMatches - before;
    }
}
