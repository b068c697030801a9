package org.omamori.engine.ips;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.omamori.api.engine.Protocol;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Match;
import org.omamori.engine.ips.rules.Pcre;
import org.omamori.engine.ips.rules.Probe;
import org.omamori.engine.ips.rules.Rule;
import org.omamori.engine.ips.rules.RuleParseException;
import org.omamori.engine.ips.rules.ThresholdConfig;
import org.omamori.hyperscan.CompileException;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.DatabaseCache;
import org.omamori.hyperscan.Expression;
import org.omamori.hyperscan.ExpressionFlag;
import org.omamori.hyperscan.ScanMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule set compiled for inspection: one Hyperscan block-mode database per header buffer and
 * one stream-mode database per direction, holding each rule's trigger with the rule's index as
 * its id. Immutable and shared by all inspections; reference counted so a hot reload frees the
 * native databases only after the last inspection that started on them has ended.
 */
public final class CompiledRules implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledRules.class);
    private static final long LIMIT_LOG_INTERVAL_NANOS = 60_000_000_000L;

    /** Rule indexes are pattern ids; a stream pattern's id says nothing else. */
    final CompiledRule[] rules;
    /** Per header buffer with triggers: its block database, or its few contents searched in Java. */
    private final Map<Buffer, HeaderScan> headerDatabases;
    /** {@link #headerDatabases} by the buffer's ordinal: looked up for every scan of a head buffer. */
    private final HeaderScan[] headerScans = new HeaderScan[Buffer.values().length];
    /** The header buffers that have a database, in enum order: a request scans only these. */
    final Buffer[] headerBuffers;
    /**
     * Per protocol, the request head buffers of {@link #headerBuffers} that can hold bytes in an
     * exchange of it (DNS names in DNS, the SNI in TLS, the HTTP buffers in HTTP; those of the
     * response and the client's hello come later): a request asks only for these.
     */
    private final Buffer[][] requestHeadBuffers = new Buffer[Protocol.values().length][];
    final Database requestStream;
    final Database responseStream;
    /**
     * Per side: whether its stream database holds an expression that can match at the end of
     * data (a pcre trigger such as {@code /x$/}). Literals cannot, so a stream of literals only is
     * reset at the end without asking for such matches (no scratch, no callback).
     */
    private final boolean[] endOfDataMatters = new boolean[Side.values().length];
    /**
     * Literals the stream databases report for confirmation (pcre prefixes, long contents), as
     * pattern ids {@code rules.length + k} for k below this count (see {@link Sightings}).
     */
    final int sightingCount;
    /** Distinct rule headers ({@link CompiledRule#headerClass}). */
    final int headerClassCount;
    final RuleSetReport report;
    /**
     * The expressions each database was compiled from, by buffer or side, when
     * {@link #keepExpressions} was set; else empty (with ET Open they are 5 MB of patterns and flags).
     */
    final Map<Object, List<Expression>> expressions;
    /** Benchmarks and diagnostics set this before compiling to keep {@link #expressions}; the engine never does. */
    static volatile boolean keepExpressions;
    private final AtomicInteger references = new AtomicInteger(1);
    /** Pcre searches that ran out of their JDK budget or stack, and when the next log line about them may be written. */
    private final java.util.concurrent.atomic.LongAdder pcreLimitHits = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.AtomicLong nextLimitLog = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
    /** Per-direction inspection states not in use (their streams, windows, candidates), reused across inspections. */
    final SideStatePool requestStates = new SideStatePool(this, Side.REQUEST);
    final SideStatePool responseStates = new SideStatePool(this, Side.RESPONSE);

    private CompiledRules(CompiledRule[] rules, Map<Buffer, HeaderScan> headerDatabases, Database requestStream,
                          Database responseStream, int sightingCount, int headerClassCount, RuleSetReport report,
                          Map<Object, List<Expression>> expressions) {
        this.expressions = expressions;
        this.sightingCount = sightingCount;
        this.headerClassCount = headerClassCount;
        this.rules = rules;
        this.headerDatabases = headerDatabases;
        this.headerBuffers = headerDatabases.keySet().stream().sorted().toArray(Buffer[]::new);
        headerDatabases.forEach((b, h) -> headerScans[b.ordinal()] = h);
        for (Protocol p : Protocol.values()) {
            requestHeadBuffers[p.ordinal()] = java.util.Arrays.stream(headerBuffers)
                    .filter(b -> !b.responseHead() && !b.tlsClientHello() && requestHeadIn(b, p)).toArray(Buffer[]::new);
        }
        this.requestStream = requestStream;
        this.responseStream = responseStream;
        for (CompiledRule rule : rules) {
            if (rule != null && rule.trigger instanceof Pcre && Side.streamed(rule.trigger.buffer())) {
                rule.sides.forEach(side -> endOfDataMatters[side.ordinal()] = true);
            }
        }
        this.report = report;
    }

    /** {@link #requestHeadBuffers}' members for {@code protocol}, in enum order. */
    Buffer[] requestHeadBuffers(Protocol protocol) {
        return requestHeadBuffers[protocol.ordinal()];
    }

    /** Whether a request head buffer can hold bytes in an exchange of {@code p} ({@link HttpBuffers#text} gives the others none). */
    private static boolean requestHeadIn(Buffer b, Protocol p) {
        return switch (b) {
            case DNS_QUERY, DNS_QUERY_DOTPREFIX -> p == Protocol.DNS;
            case TLS_SNI, TLS_SNI_DOTPREFIX -> p == Protocol.TLS;
            default -> p == Protocol.HTTP;
        };
    }

    /** What became of the rule set. */
    public RuleSetReport report() {
        return report;
    }

    /** No rules: every inspection passes. */
    static CompiledRules empty() {
        return new CompiledRules(new CompiledRule[0], new EnumMap<>(Buffer.class), null, null, 0, 0,
                new RuleSetReport(0, Map.of(), List.of(), 0, 0, 0), Map.of());
    }

    /**
     * Counts {@code n} pcre searches of {@code rule} that ran out of their JDK budget or stack
     * (answered by Hyperscan where it reads the pcre, else not matched); logs at most once a minute.
     */
    void pcreLimitHit(CompiledRule rule, int n) {
        pcreLimitHits.add(n);
        long now = System.nanoTime();
        long next = nextLimitLog.get();
        if (now - next >= 0 && nextLimitLog.compareAndSet(next, now + LIMIT_LOG_INTERVAL_NANOS)) {
            LOG.warn("IPS pcre of sid {} ran out of its match limit (regex steps or stack) on hostile bytes: answered in "
                    + "linear time by Hyperscan where it reads the pcre, else not matched; {} such searches in this rule set "
                    + "so far (logged at most once a minute)", rule.rule.sid(), pcreLimitHits.sum());
        }
    }

    /** The address-only rules, indexed by address; null when there are none. */
    HeaderOnlyRules headerOnly;

    /** The rules' threshold and detection_filter counters, for the life of this set. */
    final Thresholds thresholds = new Thresholds();
    /** The rules' xbits, on the thresholds' clock. */
    final HostBits hostBits = new HostBits(thresholds::now);
    /** The rules' thresholds with threshold.config applied: what becomes of a match's alert. */
    AlertFilters alertFilters = AlertFilters.of(new CompiledRule[0], ThresholdConfig.NONE, thresholds);

    /** Lines of the threshold.config applied that had no effect on this set (file:line: why). */
    public List<String> thresholdNotes() {
        return alertFilters.notes();
    }

    /** Pcre searches that ran out of their JDK budget or stack since this set was compiled. */
    long pcreLimitHits() {
        return pcreLimitHits.sum();
    }

    boolean endOfDataMatters(Side side) {
        return endOfDataMatters[side.ordinal()];
    }

    HeaderScan header(Buffer buffer) {
        return headerScans[buffer.ordinal()];
    }

    /** Takes a reference for an inspection; false if the set was already released for good. */
    boolean retain() {
        int n;
        do {
            n = references.get();
            if (n == 0) {
                return false;
            }
        } while (!references.compareAndSet(n, n + 1));
        return true;
    }

    /** Gives back the reference of whoever made or retained this set. */
    @Override
    public void close() {
        release();
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            // Every inspection gave back its states before releasing: their streams go first.
            requestStates.drain();
            responseStates.drain();
            for (CompiledRule rule : rules) {
                if (rule != null) {
                    for (Chain chain : rule.chains) {
                        chain.close();
                    }
                }
            }
            headerDatabases.values().forEach(HeaderScan::close);
            if (requestStream != null) {
                requestStream.close();
            }
            if (responseStream != null) {
                responseStream.close();
            }
        }
    }

    /**
     * Compiles parsed rules. Rules that parsed but cannot run here (no positive match, a pcre
     * neither Hyperscan nor the JDK can read, both directions at once) are skipped and counted by
     * keyword next to the parser's own skips.
     */
    static CompiledRules compile(List<Rule> parsed, Map<String, Integer> parserSkips, List<RuleParseException> parseErrors,
                                 Classtypes classtypes, IpsSettings settings) throws CompileException {
        return compile(parsed, parserSkips, parseErrors, classtypes, settings, ThresholdConfig.NONE);
    }

    /** {@link #compile(List, Map, List, Classtypes, IpsSettings)} with a global threshold.config applied. */
    static CompiledRules compile(List<Rule> parsed, Map<String, Integer> parserSkips, List<RuleParseException> parseErrors,
                                 Classtypes classtypes, IpsSettings settings, ThresholdConfig thresholdConfig)
            throws CompileException {
        return compile(parsed, parserSkips, parseErrors, classtypes, settings, thresholdConfig, null);
    }

    /**
     * {@link #compile(List, Map, List, Classtypes, IpsSettings, ThresholdConfig)} with the Hyperscan
     * databases taken from {@code cache} when it holds them for the very same expressions (null: always compiled).
     */
    static CompiledRules compile(List<Rule> parsed, Map<String, Integer> parserSkips, List<RuleParseException> parseErrors,
                                 Classtypes classtypes, IpsSettings settings, ThresholdConfig thresholdConfig, DatabaseCache cache)
            throws CompileException {
        long started = System.nanoTime();
        Map<String, Integer> skipped = new HashMap<>(parserSkips);
        List<CompiledRule> runnable = new ArrayList<>();
        List<Expression> triggers = new ArrayList<>();
        Map<CompiledRule.HeaderKey, Integer> headerClasses = new HashMap<>();
        for (Rule rule : parsed) {
            try {
                int headerClass = headerClasses.computeIfAbsent(CompiledRule.HeaderKey.of(rule), k -> headerClasses.size());
                CompiledRule compiled = new CompiledRule(runnable.size(), headerClass, rule, classtypes.grade(rule), settings.blockLevel());
                Expression trigger = compiled.headerOnly ? null : trigger(compiled);
                runnable.add(compiled);
                triggers.add(trigger);
            } catch (CompiledRule.Unrunnable e) {
                skipped.merge(e.keyword, 1, Integer::sum);
            }
        }
        CompiledRule[] rules = runnable.toArray(CompiledRule[]::new);

        Map<Object, List<Expression>> byDatabase = new HashMap<>();
        for (int i = 0; i < rules.length; i++) {
            if (rules[i].headerOnly) {
                continue; // found by their addresses, not by Hyperscan
            }
            for (Object key : databaseKeys(rules[i])) {
                byDatabase.computeIfAbsent(key, k -> new ArrayList<>()).add(triggers.get(i));
            }
        }
        int sightingCount = addSightings(rules, byDatabase);
        Map<Buffer, HeaderScan> headers = new EnumMap<>(Buffer.class);
        Database request = null;
        Database response = null;
        long bytes = 0;
        List<Database> made = new ArrayList<>();
        try {
            for (Map.Entry<Object, List<Expression>> e : byDatabase.entrySet()) {
                boolean stream = e.getKey() instanceof Side;
                FewLiterals few = stream ? null : fewLiterals(e.getValue(), rules);
                if (few != null) {
                    bytes += few.sizeBytes();
                    headers.put((Buffer) e.getKey(), few);
                    continue;
                }
                Database db = compileSkippingFailures(e.getValue(), stream ? ScanMode.STREAM : ScanMode.BLOCK, rules, skipped, cache);
                if (db == null) {
                    continue;
                }
                made.add(db);
                bytes += db.sizeBytes();
                if (e.getKey() == Side.REQUEST) {
                    request = db;
                } else if (e.getKey() == Side.RESPONSE) {
                    response = db;
                } else {
                    headers.put((Buffer) e.getKey(), HeaderScan.of(db));
                }
            }
        } catch (CompileException | RuntimeException e) {
            made.forEach(Database::close);
            throw e;
        }
        int loaded = 0;
        int headerOnly = 0;
        for (CompiledRule r : rules) {
            loaded += r != null ? 1 : 0;
            headerOnly += r != null && r.headerOnly ? 1 : 0;
        }
        // Patterns: each rule's trigger and each literal confirmation looks up (one per literal, however many databases hold it).
        RuleSetReport report = new RuleSetReport(loaded, skipped, parseErrors, loaded - headerOnly + sightingCount,
                (System.nanoTime() - started) / 1_000_000, bytes);
        CompiledRules set = new CompiledRules(rules, headers, request, response, sightingCount, headerClasses.size(), report,
                keepExpressions ? Map.copyOf(byDatabase) : Map.of());
        set.headerOnly = HeaderOnlyRules.of(rules);
        set.alertFilters = AlertFilters.of(rules, thresholdConfig, set.thresholds);
        return set;
    }

    /**
     * Adds what confirmation looks up rather than searches ({@link Chain#sightingKeys}: the literal
     * prefixes of streamed pcres, long contents other than the trigger), one expression per
     * distinct literal and case, id {@code rules.length + k}, to the stream databases of its rule's
     * sides, so the scan reports where they occur. Returns how many there are.
     */
    private static int addSightings(CompiledRule[] rules, Map<Object, List<Expression>> byDatabase) {
        Map<String, Integer> ids = new HashMap<>();
        Map<Side, Set<Integer>> added = new EnumMap<>(Side.class);
        for (CompiledRule rule : rules) {
            for (int c = 0; c < rule.chains.length; c++) {
                Chain chain = rule.chains[c];
                if (!Side.streamed(chain.buffer)) {
                    continue;
                }
                int triggerStep = c == rule.triggerChain ? rule.triggerStep : -1;
                for (String key : chain.sightingKeys(triggerStep)) {
                    int id = ids.computeIfAbsent(key, k -> ids.size());
                    for (Side side : rule.sides) {
                        if (added.computeIfAbsent(side, s -> new HashSet<>()).add(id)) {
                            Set<ExpressionFlag> flags = Chain.sightingKeyNocase(key) ? EnumSet.of(ExpressionFlag.CASELESS)
                                    : EnumSet.noneOf(ExpressionFlag.class);
                            byDatabase.computeIfAbsent(side, k -> new ArrayList<>())
                                    .add(new Expression(rules.length + id, literal(Chain.sightingKeyBytes(key)), flags, 0, 0));
                        }
                    }
                }
                chain.assignSightingIds(ids, triggerStep);
            }
        }
        return ids.size();
    }

    /**
     * A header buffer's triggers as {@link FewLiterals} when they are at most {@link FewLiterals#MAX}
     * contents; null when there are more, or a pcre among them (Hyperscan's then).
     */
    private static FewLiterals fewLiterals(List<Expression> expressions, CompiledRule[] rules) {
        if (expressions.size() > FewLiterals.MAX) {
            return null;
        }
        int[] ids = new int[expressions.size()];
        List<Content> contents = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            ids[i] = expressions.get(i).id();
            if (!(rules[ids[i]].trigger instanceof Content c)) {
                return null;
            }
            contents.add(c);
        }
        return new FewLiterals(ids, contents);
    }

    /** Header triggers go to their buffer's block database, stream triggers to their sides' stream databases. */
    private static List<Object> databaseKeys(CompiledRule rule) {
        Buffer b = rule.trigger.buffer();
        return Side.streamed(b) ? List.copyOf(rule.sides) : List.of(b);
    }

    /**
     * Compiles, dropping a rule whose trigger Hyperscan refuses (it names the expression) and
     * trying again; a dropped rule is nulled in {@code rules} and counted as skipped.
     */
    private static Database compileSkippingFailures(List<Expression> expressions, ScanMode mode, CompiledRule[] rules,
                                                    Map<String, Integer> skipped, DatabaseCache cache) throws CompileException {
        List<Expression> remaining = new ArrayList<>(expressions);
        for (int attempt = 0; ; attempt++) {
            if (remaining.isEmpty()) {
                return null;
            }
            try {
                // only a set that compiles is written to the cache, so a refused trigger is refused (and dropped) as before
                return cache == null ? Database.compile(remaining, mode) : cache.compile(remaining, mode);
            } catch (CompileException e) {
                int index = e.expressionIndex();
                if (index < 0 || index >= remaining.size() || attempt >= 1000) {
                    throw e;
                }
                Expression refused = remaining.remove(index);
                if (refused.id() >= rules.length) {
                    throw e; // a pcre prefix: a plain literal, which always compiles
                }
                rules[refused.id()] = null; // a rule in two stream databases is dropped from both: its hits are ignored

                skipped.merge("hyperscan-compile", 1, Integer::sum);
            }
        }
    }

    /** The Hyperscan expression of a rule's trigger. */
    private static Expression trigger(CompiledRule rule) throws CompiledRule.Unrunnable {
        boolean stream = Side.streamed(rule.trigger.buffer());
        Set<ExpressionFlag> flags = EnumSet.noneOf(ExpressionFlag.class);
        if (!stream) {
            flags.add(ExpressionFlag.SINGLEMATCH); // a header buffer is confirmed whole: one hit is enough
        }
        ScanMode mode = stream ? ScanMode.STREAM : ScanMode.BLOCK;
        switch (rule.trigger) {
            case Content c -> {
                if (c.nocase()) {
                    flags.add(ExpressionFlag.CASELESS);
                }
                return stream ? new Expression(rule.index, literal(c.bytes()), flags, 0, 0) : placed(rule.index, c, flags);
            }
            case Probe p -> throw new CompiledRule.Unrunnable("no-content", "a payload keyword is never a trigger");
            case Pcre p -> {
                if (p.caseless()) {
                    flags.add(ExpressionFlag.CASELESS);
                }
                if (p.dotAll()) {
                    flags.add(ExpressionFlag.DOTALL);
                }
                if (p.multiline() || p.buffer() == Buffer.HTTP_REQUEST_BODY) {
                    // The request's stream begins with its head, so ^ must also match after a
                    // newline to see the body's start: a superset, which confirmation narrows.
                    flags.add(ExpressionFlag.MULTILINE);
                }
                if (p.extended()) {
                    throw new CompiledRule.Unrunnable("pcre:x", "Hyperscan has no extended (x) mode");
                }
                String pattern = p.pattern().replace("(?P<", "(?<");
                Expression exact = new Expression(rule.index, pattern, flags, 0, 0);
                Optional<String> refused = Database.check(exact, mode);
                if (refused.isEmpty()) {
                    return exact;
                }
                // Prefilter mode accepts a superset of what the pattern matches; the JDK confirms.
                EnumSet<ExpressionFlag> prefilter = EnumSet.copyOf(flags);
                prefilter.add(ExpressionFlag.PREFILTER);
                Expression approximate = new Expression(rule.index, pattern, prefilter, 0, 0);
                if (Database.check(approximate, mode).isEmpty()) {
                    return approximate;
                }
                throw new CompiledRule.Unrunnable("pcre-hyperscan", refused.get());
            }
        }
    }

    /**
     * A header buffer's trigger content that can only be at the buffer's start ({@code offset} 0
     * or none, {@code depth} its length, as {@code startswith} is) anchored there for Hyperscan:
     * the buffer is scanned whole, from its first byte, as confirmation sees it. Such a rule is
     * then no candidate wherever its bytes occur elsewhere (e.g. ET's "Dotted Quad Host" rules,
     * {@code content:"5"; depth:1}, on every host holding a 5). Other offsets and depths are left
     * to confirmation: as Hyperscan bounds ({@code min_offset}/{@code max_offset}) they took
     * their literals out of the shared literal matcher and grew the databases by a third.
     */
    static Expression placed(int id, Content c, Set<ExpressionFlag> flags) {
        String pattern = literal(c.bytes());
        return new Expression(id, anchoredAtStart(c) ? "^" + pattern : pattern, flags, 0, 0);
    }

    /** A content that can only be at its buffer's first byte (see {@link #placed}). */
    static boolean anchoredAtStart(Content c) {
        return !c.relative() && c.offset().orElse(0) == 0 && c.depth().isPresent() && c.depth().getAsInt() == c.length();
    }

    /** A byte string as a Hyperscan pattern that matches exactly those bytes. */
    static String literal(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
                out.append((char) c);
            } else {
                out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return out.toString();
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
