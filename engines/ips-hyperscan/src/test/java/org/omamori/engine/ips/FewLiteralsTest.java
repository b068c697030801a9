package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Content;
import org.omamori.hyperscan.Database;
import org.omamori.hyperscan.Expression;
import org.omamori.hyperscan.ExpressionFlag;
import org.omamori.hyperscan.ScanMode;

/** A header buffer's few contents searched in Java report what Hyperscan reports for the same triggers. */
class FewLiteralsTest {

    private static final byte[] ALPHABET = "abAB-/\r\n\u00e9\u00c9".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    @Test
    void sameTriggersAndEndsAsHyperscan() throws Exception {
        Random random = new Random(18);
        for (int set = 0; set < 40; set++) {
            int n = 1 + random.nextInt(FewLiterals.MAX);
            int[] ids = new int[n];
            List<Content> contents = new ArrayList<>();
            List<Expression> expressions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] b = bytes(random, 1 + random.nextInt(4));
                boolean nocase = random.nextBoolean();
                boolean anchored = random.nextInt(4) == 0; // depth:N at offset 0: startswith
                Content c = new Content(Buffer.HTTP_URI, b, false, nocase, OptionalInt.empty(),
                        anchored ? OptionalInt.of(b.length) : OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), false);
                ids[i] = i * 3 + 1;
                contents.add(c);
                EnumSet<ExpressionFlag> flags = EnumSet.of(ExpressionFlag.SINGLEMATCH);
                if (nocase) {
                    flags.add(ExpressionFlag.CASELESS);
                }
                expressions.add(CompiledRules.placed(ids[i], c, flags));
            }
            FewLiterals few = new FewLiterals(ids, contents);
            try (Database db = Database.compile(expressions, ScanMode.BLOCK)) {
                for (int k = 0; k < 200; k++) {
                    byte[] text = bytes(random, random.nextInt(24));
                    // Placed in a larger array, from an offset: the buffer's position is where it starts.
                    byte[] padded = new byte[text.length + 7];
                    System.arraycopy(text, 0, padded, 3, text.length);
                    ByteBuffer view = ByteBuffer.wrap(padded, 3, text.length).slice();
                    ByteBuffer offset = ByteBuffer.wrap(padded, 3, text.length);
                    Map<Integer, Long> expected = found((d, l) -> db.scan(d, l), ByteBuffer.wrap(text));
                    assertThat(found(few::scan, view)).as("set %d text %s", set, new String(text, java.nio.charset.StandardCharsets.ISO_8859_1))
                            .isEqualTo(expected);
                    assertThat(found(few::scan, offset)).isEqualTo(expected);
                    assertThat(offset.position()).isEqualTo(3);
                    // Without a reachable array: a read-only view, and a direct buffer (TLS certificates, windows).
                    assertThat(found(few::scan, offset.asReadOnlyBuffer())).isEqualTo(expected);
                    ByteBuffer direct = ByteBuffer.allocateDirect(text.length).put(text).flip();
                    assertThat(found(few::scan, direct)).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * Contents of {@link FewLiterals#MIN_SKIPPED} bytes or more are searched by skipping: the same
     * triggers in the same order (the order decides flowbits and the finding reported) as the
     * byte-by-byte search, and the same triggers and ends as Hyperscan, on texts as long as heads.
     */
    @Test
    void skippingReportsWhatEachByteReportsInTheSameOrder() throws Exception {
        Random random = new Random(1807);
        int skipped = 0;
        for (int set = 0; set < 60; set++) {
            int n = 1 + random.nextInt(FewLiterals.MAX);
            int[] ids = new int[n];
            List<Content> contents = new ArrayList<>();
            List<Expression> expressions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean anchored = random.nextInt(5) == 0;
                // anchored ones may be short: they are tried at the first byte only, not skipped over
                byte[] b = bytes(random, anchored ? 1 + random.nextInt(6) : FewLiterals.MIN_SKIPPED + random.nextInt(set % 3 == 0 ? 2 : 10));
                boolean nocase = random.nextBoolean();
                Content c = new Content(Buffer.HTTP_URI, b, false, nocase, OptionalInt.empty(),
                        anchored ? OptionalInt.of(b.length) : OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), false);
                ids[i] = i * 5 + 2;
                contents.add(c);
                EnumSet<ExpressionFlag> flags = EnumSet.of(ExpressionFlag.SINGLEMATCH);
                if (nocase) {
                    flags.add(ExpressionFlag.CASELESS);
                }
                expressions.add(CompiledRules.placed(ids[i], c, flags));
            }
            FewLiterals few = new FewLiterals(ids, contents);
            try (Database db = Database.compile(expressions, ScanMode.BLOCK)) {
                for (int k = 0; k < 300; k++) {
                    byte[] text = bytes(random, random.nextInt(k % 10 == 0 ? 400 : 40));
                    if (random.nextBoolean() && text.length > 0) { // plant contents, so most texts have some
                        for (int p = random.nextInt(4); p > 0; p--) {
                            byte[] c = contents.get(random.nextInt(n)).bytes();
                            int at = random.nextInt(text.length);
                            System.arraycopy(c, 0, text, at, Math.min(c.length, text.length - at));
                        }
                    }
                    byte[] padded = new byte[text.length + 9];
                    System.arraycopy(text, 0, padded, 5, text.length);
                    ByteBuffer offset = ByteBuffer.wrap(padded, 5, text.length);
                    List<long[]> bytewise = new ArrayList<>();
                    few.eachByte(offset, 5, 5 + text.length, (id, from, to) -> bytewise.add(new long[] {id, to}));
                    List<long[]> skipping = new ArrayList<>();
                    few.scan(offset, 5, 5 + text.length, (id, from, to) -> skipping.add(new long[] {id, to}));
                    assertThat(skipping).as("set %d text %s", set, new String(text, java.nio.charset.StandardCharsets.ISO_8859_1))
                            .containsExactlyElementsOf(bytewise);
                    assertThat(found(few::scan, offset.slice())).isEqualTo(found((d, l) -> db.scan(d, l), ByteBuffer.wrap(text)));
                    skipped += bytewise.isEmpty() ? 0 : 1;
                }
            }
        }
        assertThat(skipped).as("texts with triggers").isGreaterThan(3_000);
    }

    /** The byte-by-byte order at the first byte and past it: a content found at its first place only, the earlier place first. */
    @Test
    void skippingKeepsTheFirstPlaceOfEachContent() {
        Content cookie = new Content(Buffer.HTTP_URI, "Set-Cookie: ".getBytes(), false, true, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), false);
        Content pnps = new Content(Buffer.HTTP_URI, "Cookie: PNPS".getBytes(), false, false, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), false);
        FewLiterals few = new FewLiterals(new int[] {7, 9}, List.of(pnps, cookie));
        byte[] head = "Cookie: PNPS=1\r\nset-cookie: a\r\nSET-COOKIE: b\r\nCookie: PNPS\r\n".getBytes();
        List<long[]> seen = new ArrayList<>();
        few.scan(ByteBuffer.wrap(head), (id, from, to) -> seen.add(new long[] {id, to}));
        assertThat(seen).containsExactly(new long[] {7, 12}, new long[] {9, 28});
    }

    @Test
    void stopsWhenTheListenerSaysSo() {
        Content a = new Content(Buffer.HTTP_URI, "a".getBytes(), false, false, OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), false);
        FewLiterals few = new FewLiterals(new int[] {1, 2}, List.of(a, a));
        List<Integer> seen = new ArrayList<>();
        few.scan(ByteBuffer.wrap("aa".getBytes()), (id, from, to) -> {
            seen.add(id);
            return false;
        });
        assertThat(seen).containsExactly(1);
    }

    private interface Scan {
        void scan(ByteBuffer data, org.omamori.hyperscan.MatchListener listener);
    }

    private static Map<Integer, Long> found(Scan scan, ByteBuffer data) {
        Map<Integer, Long> ends = new TreeMap<>();
        scan.scan(data, (id, from, to) -> {
            assertThat(ends.put(id, to)).as("id %d reported once", id).isNull();
            return true;
        });
        return ends;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return b;
    }
}
