package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Match;
import org.omamori.engine.ips.rules.Pcre;
import org.omamori.engine.ips.rules.Probe;

/**
 * The confirmation search's shortcuts (the steps after a pinned trigger tried first and once,
 * later occurrences skipped where they can do no better, contents' places remembered across
 * confirmations of one stream) must give exactly the answer of a plain search of every
 * placement, and must keep a trigger that recurs in ordinary text from costing a search of the
 * window, or of every combination of the other contents, per occurrence.
 */
class ConfirmationSearchTest {

    private static final Buffer BUFFER = Buffer.HTTP_RESPONSE_BODY;

    // ---- a reference: every placement, Suricata's positional rules, no budget ---------------

    /** Whether the matches hold in {@code text} from step {@code i}, the previous match having ended at {@code previousEnd}. */
    static boolean reference(List<Match> steps, int i, int previousEnd, byte[] text) {
        if (i == steps.size()) {
            return true;
        }
        if (steps.get(i) instanceof Probe.IsDataAt d) {
            long n = d.position().literal();
            boolean has = d.relative() ? previousEnd + n <= text.length : n < text.length;
            return has != d.negated() && reference(steps, i + 1, previousEnd, text);
        }
        if (steps.get(i) instanceof Pcre p) {
            java.util.regex.Matcher m = PcreTranslation.toJava(p).matcher(new String(text, StandardCharsets.ISO_8859_1));
            m.region(p.relative() ? previousEnd : 0, text.length);
            m.useAnchoringBounds(p.relative());
            m.useTransparentBounds(!p.relative());
            boolean found = m.find();
            if (p.negated()) {
                return !found && reference(steps, i + 1, previousEnd, text);
            }
            return found && reference(steps, i + 1, m.end(), text);
        }
        Content c = (Content) steps.get(i);
        int n = c.bytes().length;
        long lo;
        long hi;
        if (c.relative()) {
            lo = Math.max(0, previousEnd + c.distance().orElse(0));
            hi = c.within().isPresent() ? previousEnd + c.distance().orElse(0) + c.within().getAsInt() - n : Long.MAX_VALUE;
        } else {
            lo = c.offset().orElse(0);
            hi = c.depth().isPresent() ? c.offset().orElse(0) + c.depth().getAsInt() - n : Long.MAX_VALUE;
        }
        hi = Math.min(hi, text.length - n);
        if (c.endsWith()) {
            lo = Math.max(lo, text.length - n);
        }
        boolean seen = false;
        for (long at = lo; at <= hi; at++) {
            if (!occursAt(c, text, (int) at)) {
                continue;
            }
            if (c.negated()) {
                seen = true;
                break;
            }
            if (reference(steps, i + 1, (int) at + n, text)) {
                return true;
            }
        }
        return c.negated() && !seen && reference(steps, i + 1, previousEnd, text);
    }

    private static boolean occursAt(Content c, byte[] text, int at) {
        byte[] b = c.bytes();
        for (int k = 0; k < b.length; k++) {
            byte x = text[at + k];
            byte y = b[k];
            if (c.nocase() ? Character.toLowerCase((char) (x & 0xFF)) != Character.toLowerCase((char) (y & 0xFF)) : x != y) {
                return false;
            }
        }
        return true;
    }

    // ---- random chains ---------------------------------------------------------------------

    private static final String[] LITERALS = {"a", "ab", "b", "ba", "c", "abc", "A", "bb"};

    private static Content content(Random rnd, boolean first, boolean positive) {
        byte[] bytes = LITERALS[rnd.nextInt(LITERALS.length)].getBytes(StandardCharsets.ISO_8859_1);
        boolean negated = !positive && rnd.nextInt(5) == 0;
        boolean nocase = rnd.nextInt(4) == 0;
        boolean endsWith = !negated && rnd.nextInt(12) == 0;
        OptionalInt none = OptionalInt.empty();
        if (!first && rnd.nextInt(3) > 0) {
            OptionalInt distance = rnd.nextInt(6) > 0 ? OptionalInt.of(rnd.nextInt(5) - 1) : none;
            OptionalInt within = distance.isEmpty() || rnd.nextBoolean() ? OptionalInt.of(bytes.length + rnd.nextInt(6)) : none;
            return new Content(BUFFER, bytes, negated, nocase, none, none, distance, within, false, endsWith);
        }
        OptionalInt offset = rnd.nextInt(3) == 0 ? OptionalInt.of(rnd.nextInt(6)) : none;
        OptionalInt depth = rnd.nextInt(3) == 0 ? OptionalInt.of(bytes.length + rnd.nextInt(20)) : none;
        return new Content(BUFFER, bytes, negated, nocase, offset, depth, none, none, false, endsWith);
    }

    private static List<Match> randomChain(Random rnd) {
        List<Match> steps = new ArrayList<>();
        for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            if (rnd.nextInt(10) == 0) {
                steps.add(new Probe.IsDataAt(BUFFER, rnd.nextBoolean(), Probe.Value.of(rnd.nextInt(4)), rnd.nextBoolean()));
            } else if (!steps.isEmpty() && rnd.nextInt(8) == 0) {
                String[] pcres = {"^c", "b+a", "^a?b", "c$"};
                steps.add(new Pcre(BUFFER, pcres[rnd.nextInt(pcres.length)], rnd.nextInt(4) == 0, false, false, false, false,
                        rnd.nextInt(3) > 0));
            } else {
                steps.add(content(rnd, steps.isEmpty(), steps.isEmpty() || rnd.nextBoolean()));
            }
        }
        return steps;
    }

    private static byte[] randomText(Random rnd, int length) {
        String alphabet = "aabbcAB ";
        byte[] t = new byte[length];
        for (int i = 0; i < length; i++) {
            t[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
        }
        return t;
    }

    /** The positive contents of a chain: each could be a rule's trigger. */
    private static List<Integer> triggers(List<Match> steps) {
        List<Integer> t = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Content c && !c.negated()) {
                t.add(i);
            }
        }
        return t;
    }

    /**
     * On whole buffers: the chain's search with no trigger pinned, and the search pinned at each
     * occurrence of a trigger (one search object for all, remembering places as in a stream),
     * each say exactly what the reference says.
     */
    @Test
    void pinnedOrNotTheSearchFindsExactlyWhatEveryPlacementGives() {
        Random rnd = new Random(20261206);
        int matched = 0;
        int checked = 0;
        for (int t = 0; t < 4000; t++) {
            List<Match> steps = randomChain(rnd);
            byte[] text = randomText(rnd, rnd.nextInt(60));
            boolean expected = reference(steps, 0, 0, text);
            Chain chain = new Chain(BUFFER, steps);
            ByteView view = ByteView.of(text);
            assertThat(chain.matches(new Search(), view, -1, -1, null, 0, true)).as("%s on %s", steps, latin1(text)).isEqualTo(expected);
            Search remembering = new Search();
            Sightings stream = new Sightings(0); // a stream's: contents' places are remembered
            for (int trigger : triggers(steps)) {
                ContentStep step = (ContentStep) chain.steps[trigger];
                boolean any = false;
                for (int at = 0; at + step.length <= text.length; at++) {
                    if (step.find(view, at, at) == at) {
                        boolean pinned = chain.matches(remembering, view, trigger, at, stream, 0, true);
                        boolean plain = chain.matches(new Search(), view, trigger, at, null, 0, true);
                        assertThat(pinned).as("pinned at %d: %s on %s", at, steps, latin1(text)).isEqualTo(plain);
                        any |= pinned;
                    }
                }
                assertThat(any).as("trigger %d: %s on %s", trigger, steps, latin1(text)).isEqualTo(expected);
                checked++;
            }
            matched += expected ? 1 : 0;
        }
        assertThat(matched).isBetween(400, 3600);
        assertThat(checked).isGreaterThan(4000);
    }

    /**
     * Through a sliding window, fed in pieces as a direction's stream is: a search that remembers
     * contents' places across every confirmation of the stream answers as a fresh search of the
     * bytes held, at every trigger occurrence, whatever has left the window.
     */
    @Test
    void rememberedPlacesInASlidingWindowAnswerAsAFreshSearch() {
        Random rnd = new Random(611);
        int fired = 0;
        for (int t = 0; t < 300; t++) {
            List<Match> steps = randomChain(rnd);
            Chain chain = new Chain(BUFFER, steps);
            byte[] text = randomText(rnd, 200 + rnd.nextInt(600));
            ByteWindow window = new ByteWindow(64);
            Search remembering = new Search();
            Sightings sightings = new Sightings(0);
            List<Integer> triggers = triggers(steps);
            for (int at = 0; at < text.length; ) {
                int n = Math.min(1 + rnd.nextInt(32), text.length - at);
                window.append(ByteBuffer.wrap(text, at, n));
                at += n;
                boolean ended = at == text.length;
                ByteView view = window.view(0);
                for (int trigger : triggers) {
                    ContentStep step = (ContentStep) chain.steps[trigger];
                    for (long p = view.firstPosition(); p + step.length <= view.endPosition(); p++) {
                        if (step.find(view, p, p) != p) {
                            continue;
                        }
                        boolean remembered = chain.matches(remembering, view, trigger, p, sightings, 0, ended);
                        boolean rememberedUndecided = remembering.undecided();
                        Search fresh = new Search();
                        boolean plain = chain.matches(fresh, view, trigger, p, null, 0, ended);
                        assertThat(remembered).as("%s at %d", steps, p).isEqualTo(plain);
                        assertThat(rememberedUndecided).as("%s at %d", steps, p).isEqualTo(fresh.undecided());
                        // In rule order, the steps after the trigger tried from each placement before it:
                        // the same answer, and the same "wait for more bytes".
                        Search inOrder = new Search().begin(chain, view, trigger, p, null, 0, ended);
                        assertThat(inOrder.from(0, 0)).as("%s at %d in order", steps, p).isEqualTo(plain);
                        assertThat(inOrder.undecided()).as("%s at %d in order", steps, p).isEqualTo(fresh.undecided());
                        fired += remembered ? 1 : 0;
                    }
                }
                boolean whole = chain.matches(remembering, view, -1, -1, sightings, 0, ended);
                assertThat(whole).as("%s unpinned", steps).isEqualTo(chain.matches(new Search(), view, -1, -1, null, 0, ended));
            }
        }
        assertThat(fired).isGreaterThan(1000);
    }

    /**
     * The record of a content's places answers every ask as a search of the bytes would: asks
     * mostly moving forward as confirmations do, some far ahead or back, over more places than
     * it keeps, while the window slides.
     */
    @Test
    void aRecordOfPlacesAnswersAsASearchWhateverTheAsks() {
        Random rnd = new Random(5);
        byte[] text = randomText(rnd, 200_000);
        ContentStep[] steps = {new ContentStep(nocase("ab", false)), new ContentStep(nocase("c", false)),
                new ContentStep(nocase("bab", false))};
        ByteWindow window = new ByteWindow(16 * 1024);
        Occurrences[] records = new Occurrences[steps.length];
        long[] searched = new long[1];
        long lo = 0;
        int asks = 0;
        for (int at = 0; at < text.length; ) {
            int n = Math.min(8 * 1024, text.length - at);
            window.append(ByteBuffer.wrap(text, at, n));
            at += n;
            ByteView view = window.view(0);
            for (int k = 0; k < 400; k++) {
                int s = rnd.nextInt(steps.length);
                ContentStep step = steps[s];
                if (records[s] == null) {
                    records[s] = new Occurrences().reset(step, view, 0);
                }
                int move = rnd.nextInt(20);
                lo = move < 14 ? lo + rnd.nextInt(40) : move < 17 ? lo + rnd.nextInt(20_000) : lo - rnd.nextInt(20_000);
                lo = Math.max(view.firstPosition(), Math.min(lo, view.endPosition() - step.length));
                long hi = Math.min(lo + rnd.nextInt(rnd.nextBoolean() ? 30 : 30_000), view.endPosition() - step.length);
                if (lo > hi) {
                    continue;
                }
                assertThat(records[s].first(view, lo, hi, searched)).as("[%d, %d]", lo, hi).isEqualTo(step.find(view, lo, hi));
                asks++;
            }
        }
        assertThat(asks).isGreaterThan(8000);
    }

    // ---- a trigger that recurs in ordinary text -------------------------------------------

    private static Content nocase(String s, boolean relative) {
        OptionalInt none = OptionalInt.empty();
        return new Content(BUFFER, s.getBytes(StandardCharsets.ISO_8859_1), false, true, none, none,
                relative ? OptionalInt.of(0) : none, none, false);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * ET's "Spectre Kernel Memory Leakage JavaScript" (sid 2025185) in short: {@code <script},
     * then {@code <}, then the trigger {@code .length}, then a pcre right after it. In a page full
     * of the three, each trigger occurrence used to search every pair of the contents before it
     * (the step budget, 200,000, per occurrence); the steps after the trigger now decide first.
     */
    @Test
    void aTriggerRecurringAfterManyPartialMatchesCostsAFewStepsPerOccurrence() {
        List<Match> steps = List.of(nocase("<script", false), nocase("<", true), nocase(".length", true),
                new Pcre(BUFFER, "^\\s*\\)\\s*\\{", false, true, true, false, false, true));
        Chain chain = new Chain(BUFFER, steps);
        StringBuilder page = new StringBuilder();
        while (page.length() < 60_000) {
            page.append("<script>var a = b.length; if (c.length > 0) { <b>x</b> }\n");
        }
        page.append("<i>while (i < n.length ) {");
        long planted = page.lastIndexOf(".length");
        byte[] text = page.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteView view = ByteView.of(text);
        Search search = new Search();
        Sightings stream = new Sightings(0);
        ContentStep trigger = (ContentStep) chain.steps[2];
        List<Long> fired = new ArrayList<>();
        int occurrences = 0;
        long steps0 = 0;
        for (long at = trigger.find(view, 0, text.length - 7); at >= 0; at = trigger.find(view, at + 1, text.length - 7)) {
            occurrences++;
            if (chain.matches(search, view, 2, at, stream, 0, true)) {
                fired.add(at);
            }
            steps0 += search.stepsTaken();
        }
        assertThat(occurrences).isGreaterThan(2000);
        assertThat(fired).containsExactly(planted);
        assertThat(steps0).isLessThan(20L * occurrences);
        assertThat(search.positionsSearched()).isLessThan(4L * text.length);
    }

    // ---- the engine, on bodies of 1 MiB --------------------------------------------------

    private static final String RULES = """
            alert http any any -> any any (msg:"spectre-like"; flow:to_client; file_data; content:"<script"; nocase; \
            content:"<"; distance:0; content:".length"; distance:0; nocase; fast_pattern; pcre:"/^\\s*\\)\\s*\\{/Rsi"; sid:91; rev:1;)
            alert http any any -> any any (msg:"far, not stopped"; flow:to_client; file_data; content:"BEGIN"; \
            content:"tick()"; distance:0; fast_pattern; content:!"STOP"; distance:0; within:40; sid:92; rev:1;)
            alert http any any -> any any (msg:"far, ended"; flow:to_client; file_data; content:"BEGIN"; \
            content:"tock()"; distance:0; fast_pattern; content:"END"; distance:0; within:10; sid:93; rev:1;)
            """;

    /**
     * Text where the three rules' triggers occur every few bytes and never complete a rule:
     * {@code .length} never before {@code )}, {@code tick()} always with a STOP after it,
     * {@code tock()} never with END after it; no {@code <script}, no {@code BEGIN}.
     */
    private static StringBuilder filler(Random rnd, int size) {
        String[] tokens = {".length; ", "x < y ", "tick() STOP ", "tock() later ", "lorem ", "<b>", "</b> ", "n.length-1 ", "\n"};
        StringBuilder b = new StringBuilder(size + 64);
        while (b.length() < size) {
            b.append(tokens[rnd.nextInt(tokens.length)]);
        }
        return b;
    }

    /**
     * Rules whose trigger recurs all through a 1 MiB body while their other contents are far
     * before it, or absent: each fires exactly where Suricata's reading of it says (its parts
     * within the engine's 64 KiB window), and not when a part is missing or in the wrong order,
     * however the body is chunked.
     */
    @Test
    void rulesWhoseTriggerRecursFireExactlyWhereTheirOtherContentsAllow(@TempDir Path tmp) throws Exception {
        Random rnd = new Random(2025185);
        String none = filler(rnd, 1 << 20).toString();
        StringBuilder all = filler(rnd, (1 << 20) - 20_000);
        all.append("<script src=x>").append(beginAndFiller(rnd)).append(" while (i < n.length ) { tick() go tock()..END ");
        StringBuilder wrongOrder = filler(rnd, (1 << 20) - 20_000);
        wrongOrder.append("tock() END; while (i < n.length ) { tick() go ").append(filler(rnd, 10_000)).append("<script> BEGIN ");
        wrongOrder.append(filler(rnd, 5_000));
        try (IpsEngine engine = new IpsEngine("1.0.0", IpsSettings.DEFAULTS)) {
            Path rules = tmp.resolve("recurring.rules");
            Files.writeString(rules, RULES);
            assertThat(engine.loadNow(IpsEngineTest.source(rules), IpsSettings.DEFAULTS)).isTrue();
            assertThat(engine.report().loaded()).isEqualTo(3);
            for (int chunk : new int[] {1 << 21, 16 * 1024, 1000}) {
                assertThat(fired(engine, none, chunk)).as("filler, chunks of %d", chunk).isEmpty();
                assertThat(fired(engine, all.toString(), chunk)).as("all planted, chunks of %d", chunk)
                        .containsExactlyInAnyOrder("sid:91", "sid:92", "sid:93");
                assertThat(fired(engine, wrongOrder.toString(), chunk)).as("wrong order, chunks of %d", chunk).isEmpty();
            }
        }
    }

    /** "BEGIN" and 10,000 bytes of filler: the parts of a match far apart, still within the window. */
    private static String beginAndFiller(Random rnd) {
        return "BEGIN " + filler(rnd, 10_000);
    }

    /**
     * A page full of {@code <script}, {@code <} and {@code .length}: each trigger occurrence used
     * to try every pair of the contents before it, up to the step budget, and 1 MiB took minutes.
     */
    @Test
    void aPageFullOfPartialMatchesIsInspectedInBoundedTime(@TempDir Path tmp) throws Exception {
        StringBuilder page = new StringBuilder();
        while (page.length() < 1 << 20) {
            page.append("<script>var a = b.length; if (c.length > 0) { <b>x</b> }\n");
        }
        String body = page.toString();
        try (IpsEngine engine = new IpsEngine("1.0.0", IpsSettings.DEFAULTS)) {
            Path rules = tmp.resolve("recurring.rules");
            Files.writeString(rules, RULES);
            assertThat(engine.loadNow(IpsEngineTest.source(rules), IpsSettings.DEFAULTS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                assertThat(fired(engine, body, 1 << 21)).isEmpty();
                assertThat(fired(engine, body + "<i>while (i < n.length ) {", 16 * 1024)).containsExactly("sid:91");
            });
        }
    }

    private static List<String> fired(IpsEngine engine, String body, int chunk) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        try (Inspection i = engine.inspect(IpsEngineTest.outbound("GET", "http://files.example/page").build())) {
            for (int at = 0; at < bytes.length; at += chunk) {
                i.body(Direction.RESPONSE, ByteBuffer.wrap(bytes, at, Math.min(chunk, bytes.length - at)));
            }
            i.endOfBody(Direction.RESPONSE);
            return i.verdict().findings().stream().map(f -> f.ruleId()).toList();
        }
    }
}
