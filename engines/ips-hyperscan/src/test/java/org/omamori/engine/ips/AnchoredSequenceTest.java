package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@link AnchoredSequence} gives the JDK regex's answer ({@code find()}, match end, whether the
 * match needed the end) for every pattern it accepts, on generated and hostile subjects, searched
 * from the subject's start as a header pcre is and from inside it as a relative one is; and it
 * refuses every pattern outside its form, so those stay with the JDK.
 */
class AnchoredSequenceTest {

    private static final String DOTTED_QUAD = "^1\\d{0,2}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$";

    @Test
    void etDottedQuadHostPatternsAreTakenAndAgreeWithTheJdk() {
        for (int d = 1; d <= 9; d++) {
            Pattern p = Pattern.compile("^" + d + "\\d{0,2}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$", Pattern.UNIX_LINES);
            AnchoredSequence s = AnchoredSequence.of(p);
            assertThat(s).as(p.pattern()).isNotNull();
            for (String host : List.of("198.51.100.5", "1.2.3.4", "10.0.0.1\n", "10.0.0.1\n\n", "1000.1.1.1", "1.1.1", "1.1.1.1.1",
                    "1.1.1.1 ", "example.com", "", "1", "199.1.1.1111", "9.9.9.9", "2001:db8::1", "1.1.1.1\r", "01.1.1.1",
                    "123.123.123.123", "1.2.3.a", "1..2.3")) {
                agree(p, s, host);
            }
        }
    }

    @Test
    void agreesWithTheJdkOnGeneratedPatternsAndSubjects() {
        Random random = new Random(18);
        String[] atoms = {"a", "1", "\\.", "\\d", "\\w", "\\s", "\\D", "\\W", "\\S", ".", "[0-9a-f]", "[^a-c]", "[\\d.]",
            "[A-Z_]", "-", " ", "\\-", "x", "[\\s\\w]", "[.]"};
        String[] counts = {"", "", "?", "{2}", "{0,2}", "{1,3}", "{0,1}", "{3,5}"};
        char[] alphabet = {'a', 'b', '1', '9', '0', '.', '\n', ' ', '_', 'Z', 'x', '-', '\r', '\t', (char) 0xE9, (char) 0xFF, 'F'};
        int accepted = 0;
        int matched = 0;
        for (int n = 0; n < 3_000; n++) {
            StringBuilder re = new StringBuilder("^");
            int length = random.nextInt(6);
            for (int i = 0; i < length; i++) {
                re.append(atoms[random.nextInt(atoms.length)]).append(counts[random.nextInt(counts.length)]);
            }
            if (random.nextBoolean()) {
                re.append('$');
            }
            int flags = Pattern.UNIX_LINES | (random.nextInt(4) == 0 ? Pattern.DOTALL : 0);
            Pattern p = Pattern.compile(re.toString(), flags);
            AnchoredSequence s = AnchoredSequence.of(p);
            assertThat(s).as(re.toString()).isNotNull();
            accepted++;
            for (int k = 0; k < 40; k++) {
                StringBuilder subject = new StringBuilder();
                int len = random.nextInt(14);
                for (int i = 0; i < len; i++) {
                    subject.append(alphabet[random.nextInt(alphabet.length)]);
                }
                matched += agree(p, s, subject.toString()) ? 1 : 0;
            }
        }
        assertThat(accepted).isEqualTo(3_000);
        assertThat(matched).as("some subjects match, so the comparison sees both answers").isGreaterThan(5_000);
    }

    @Test
    void hostileSubjectsAreAnsweredAsTheJdkDoesWithoutRunningAway() {
        Pattern p = Pattern.compile(DOTTED_QUAD, Pattern.UNIX_LINES);
        AnchoredSequence s = AnchoredSequence.of(p);
        List<String> hostile = new ArrayList<>();
        hostile.add("1" + "9".repeat(60_000));
        hostile.add("1" + ".".repeat(60_000));
        hostile.add("1" + "1.".repeat(30_000));
        hostile.add("199.199.199." + "9".repeat(60_000));
        hostile.add("199.199.199.199" + "\n".repeat(2));
        hostile.add("1.1.1.1" + "\u00ff".repeat(1000));
        for (String h : hostile) {
            agree(p, s, h);
        }
        Pattern wide = Pattern.compile("^\\d{0,8}\\d{0,8}\\d{0,8}\\d{0,8}x", Pattern.UNIX_LINES);
        assertThat(AnchoredSequence.of(wide)).as("9^4 placements: over the bound").isNull();
        Pattern bounded = Pattern.compile("^\\d{0,7}\\d{0,7}\\d{0,7}\\d{0,6}x", Pattern.UNIX_LINES);
        AnchoredSequence b = AnchoredSequence.of(bounded);
        assertThat(b).isNotNull();
        agree(bounded, b, "1".repeat(40_000));
        agree(bounded, b, "1".repeat(27) + "x");
        agree(bounded, b, "1".repeat(28) + "x");
    }

    @Test
    void patternsOutsideTheFormAreLeftToTheJdk() {
        for (String re : List.of("1\\d", "^a*", "^a+", "^a{2,}", "^a??", "^a{1,2}?", "^a?+", "^(a)", "^a|b", "^\\x41", "^\\1",
                "^[a-]", "^[a&&b]", "^[[a]]", "^\\bx", "^a$b", "^[\\D]", "^é", "^\\Ax", "^[0-z]", "^[A-z]", "\\A1",
                "^[a^]", "^\\u0041")) {
            Pattern p = Pattern.compile(re, Pattern.UNIX_LINES);
            assertThat(AnchoredSequence.of(p)).as(re).isNull();
        }
        for (int flag : new int[] {Pattern.CASE_INSENSITIVE, Pattern.MULTILINE, Pattern.COMMENTS}) {
            assertThat(AnchoredSequence.of(Pattern.compile(DOTTED_QUAD, Pattern.UNIX_LINES | flag))).isNull();
        }
        assertThat(AnchoredSequence.of(Pattern.compile(DOTTED_QUAD))).as("without UNIX_LINES $ sees \\r too").isNull();
    }

    @Test
    void withoutCaretItAnswersAsTheJdksLookingAtFromEachIndex() {
        // the benchmark's synthetic form and ET's literal-class-literal pcres, tried where their prefix occurs
        for (String re : List.of("token=[0-9a-f]{4,16}&", "id=\\d{1,5}\\.", "a[0-9a-f]{4,16}$", "x\\d?y", "k=.{2,4}z")) {
            Pattern p = Pattern.compile(re, Pattern.UNIX_LINES);
            AnchoredSequence s = AnchoredSequence.startingAnywhere(p);
            assertThat(s).as(re).isNotNull();
            for (String subject : List.of("token=0a1b&", "xx token=0a1b& yy", "token=0a1&", "token=0123456789abcdef0&",
                    "token=0123456789abcdef&", "token=ABCD&", "id=12345.", "id=123456.", "a0a0a", "a0a0a\n", "a0a0a\n\n",
                    "xy", "x1y", "x12y", "k=abz", "k=abcz", "k=abcdz", "k=a\nbz", "k=abcdez", "")) {
                lookingAtAgrees(p, s, subject);
            }
        }
        Random random = new Random(1818);
        String[] atoms = {"a", "1", "\\.", "\\d", "\\w", ".", "[0-9a-f]", "[^a-c]", "=", "&", "x"};
        String[] counts = {"", "", "?", "{2}", "{0,2}", "{1,3}", "{4,6}"};
        char[] alphabet = {'a', 'b', '1', '9', '0', '.', '\n', '=', '&', 'x', 'f', (char) 0xE9};
        for (int n = 0; n < 1_000; n++) {
            StringBuilder re = new StringBuilder("x");
            int length = random.nextInt(5);
            for (int i = 0; i < length; i++) {
                re.append(atoms[random.nextInt(atoms.length)]).append(counts[random.nextInt(counts.length)]);
            }
            if (random.nextInt(4) == 0) {
                re.append('$');
            }
            Pattern p = Pattern.compile(re.toString(), Pattern.UNIX_LINES | (random.nextInt(4) == 0 ? Pattern.DOTALL : 0));
            AnchoredSequence s = AnchoredSequence.startingAnywhere(p);
            assertThat(s).as(re.toString()).isNotNull();
            for (int k = 0; k < 20; k++) {
                StringBuilder subject = new StringBuilder();
                int len = random.nextInt(16);
                for (int i = 0; i < len; i++) {
                    subject.append(alphabet[random.nextInt(alphabet.length)]);
                }
                lookingAtAgrees(p, s, subject.toString());
            }
        }
        for (String re : List.of("^token=\\d", "a*b", "a+", "(a)b", "a|b", "a\\bb", "")) {
            assertThat(AnchoredSequence.startingAnywhere(Pattern.compile(re, Pattern.UNIX_LINES))).as(re).isNull();
        }
        assertThat(AnchoredSequence.startingAnywhere(Pattern.compile("token=[0-9a-f]{4,16}&", Pattern.UNIX_LINES | Pattern.CASE_INSENSITIVE)))
                .as("nocase is left to the JDK").isNull();
    }

    /** {@link AnchoredSequence#end} from each index against the JDK's lookingAt there (transparent, non-anchoring bounds). */
    private static void lookingAtAgrees(Pattern p, AnchoredSequence s, String subject) {
        byte[] bytes = subject.getBytes(StandardCharsets.ISO_8859_1);
        byte[] padded = new byte[bytes.length + 4];
        padded[0] = 'x';
        padded[1] = '=';
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        ByteView view = new ByteView(ByteBuffer.wrap(padded), 2, bytes.length, 0);
        ByteView readOnly = new ByteView(ByteBuffer.wrap(padded).asReadOnlyBuffer(), 2, bytes.length, 0);
        for (int at = 0; at <= subject.length(); at++) {
            Matcher m = p.matcher(subject);
            m.region(at, subject.length());
            m.useTransparentBounds(true);
            m.useAnchoringBounds(false);
            boolean found = m.lookingAt();
            int[] reads = new int[1];
            assertThat(s.end(view, at, reads)).as("%s on %s at %d", p.pattern(), shown(subject), at).isEqualTo(found ? m.end() : -1);
            assertThat(s.end(readOnly, at)).as("%s on %s at %d, read-only", p.pattern(), shown(subject), at).isEqualTo(found ? m.end() : -1);
            // a window's direct bytes copied into a reused array: what the last copy left past them is never read
            byte[] spare = new byte[256];
            java.util.Arrays.fill(spare, (byte) '9');
            assertThat(s.end(readOnly, at, null, spare)).as("%s on %s at %d, into a spare", p.pattern(), shown(subject), at)
                    .isEqualTo(found ? m.end() : -1);
            if (found) {
                assertThat(s.needsEnd()).as("%s on %s at %d: requireEnd", p.pattern(), shown(subject), at).isEqualTo(m.requireEnd());
            }
        }
    }

    /** Compares with the JDK from the start (a header pcre) and from each later index (a relative one); true when it matched from the start. */
    private static boolean agree(Pattern p, AnchoredSequence s, String subject) {
        byte[] bytes = subject.getBytes(StandardCharsets.ISO_8859_1);
        // the subject inside a larger array, as the request's buffers are views of one
        byte[] padded = new byte[bytes.length + 6];
        padded[0] = '9';
        padded[1] = '\n';
        padded[2] = '.';
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        padded[padded.length - 3] = '1';
        ByteView view = new ByteView(ByteBuffer.wrap(padded), 3, bytes.length, 0);
        Matcher m = p.matcher(subject);
        boolean found = m.find();
        assertThat(s.end(view, 0)).as("%s on %s", p.pattern(), shown(subject)).isEqualTo(found ? m.end() : -1);
        if (found) {
            assertThat(s.needsEnd()).as("%s on %s: requireEnd", p.pattern(), shown(subject)).isEqualTo(m.requireEnd());
        }
        // the head as sent is a read-only view: no array to read
        ByteView readOnly = new ByteView(ByteBuffer.wrap(padded).asReadOnlyBuffer(), 3, bytes.length, 0);
        assertThat(s.end(readOnly, 0)).as("%s on %s, read-only", p.pattern(), shown(subject)).isEqualTo(found ? m.end() : -1);
        for (int from = 1; from <= Math.min(subject.length(), 20); from++) {
            Matcher r = p.matcher(subject);
            r.region(from, subject.length());
            r.useTransparentBounds(false);
            r.useAnchoringBounds(true);
            boolean f = r.find();
            assertThat(s.end(view, from)).as("%s on %s from %d", p.pattern(), shown(subject), from).isEqualTo(f ? r.end() : -1);
            assertThat(s.end(readOnly, from)).as("%s on %s from %d, read-only", p.pattern(), shown(subject), from).isEqualTo(f ? r.end() : -1);
        }
        return found;
    }

    private static String shown(String s) {
        return s.length() > 40 ? s.substring(0, 40).replace("\n", "\\n") + "... (" + s.length() + ")" : s.replace("\n", "\\n");
    }
}
