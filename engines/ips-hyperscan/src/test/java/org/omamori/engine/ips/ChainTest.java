package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.omamori.engine.ips.rules.Buffer;
import org.omamori.engine.ips.rules.Content;
import org.omamori.engine.ips.rules.Match;
import org.omamori.engine.ips.rules.Pcre;

/** Suricata's positional semantics, confirmed on bytes. */
class ChainTest {

    static Content content(String s, boolean nocase, int offset, int depth, int distance, int within) {
        return new Content(Buffer.HTTP_URI, s.getBytes(StandardCharsets.ISO_8859_1), false, nocase,
                offset < 0 ? OptionalInt.empty() : OptionalInt.of(offset), depth < 0 ? OptionalInt.empty() : OptionalInt.of(depth),
                distance == Integer.MIN_VALUE ? OptionalInt.empty() : OptionalInt.of(distance),
                within < 0 ? OptionalInt.empty() : OptionalInt.of(within), false);
    }

    static Content plain(String s) {
        return content(s, false, -1, -1, Integer.MIN_VALUE, -1);
    }

    static Content negated(String s) {
        return new Content(Buffer.HTTP_URI, s.getBytes(StandardCharsets.ISO_8859_1), true, false,
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), false);
    }

    static boolean matches(String text, Match... matches) {
        return new Chain(Buffer.HTTP_URI, List.of(matches)).matches(ByteView.of(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void contentsMatchAnywhereAndCaseOnlyWithNocase() {
        assertThat(matches("/index.php?id=1 UNION SELECT", plain("UNION"), plain("SELECT"))).isTrue();
        assertThat(matches("/index.php?id=1 union select", plain("UNION"))).isFalse();
        assertThat(matches("/index.php?id=1 union select", content("UNION", true, -1, -1, Integer.MIN_VALUE, -1))).isTrue();
    }

    @Test
    void offsetAndDepthBoundTheStart() {
        assertThat(matches("GET /admin", content("/admin", false, 4, 6, Integer.MIN_VALUE, -1))).isTrue();
        assertThat(matches("GET /admin", content("/admin", false, 5, -1, Integer.MIN_VALUE, -1))).isFalse();
        assertThat(matches("GET /admin", content("/admin", false, 0, 9, Integer.MIN_VALUE, -1))).isFalse();
    }

    @Test
    void distanceAndWithinAreRelativeToThePreviousMatchWithBacktracking() {
        // "a" then "b" within 2 bytes: the first "a" fails, the second one works.
        assertThat(matches("a....ab", plain("a"), content("b", false, -1, -1, 0, 2))).isTrue();
        assertThat(matches("a....b", plain("a"), content("b", false, -1, -1, 0, 2))).isFalse();
        assertThat(matches("ab", plain("a"), content("b", false, -1, -1, 1, -1))).isFalse();
        assertThat(matches("a_b", plain("a"), content("b", false, -1, -1, 1, -1))).isTrue();
    }

    @Test
    void aNegatedContentMustBeAbsent() {
        assertThat(matches("/login.php", plain("login"), negated("logout"))).isTrue();
        assertThat(matches("/login.php?logout", plain("login"), negated("logout"))).isFalse();
    }

    @Test
    void pcreMatchesAndRelativePcreStartsAfterThePreviousMatch() {
        Pcre digits = new Pcre(Buffer.HTTP_URI, "^\\d+$", false, false, false, false, false, true);
        assertThat(matches("/id=123", plain("id="), digits)).isTrue();
        assertThat(matches("/id=12x", plain("id="), digits)).isFalse();
        Pcre anywhere = new Pcre(Buffer.HTTP_URI, "union\\s+select", false, true, false, false, false, false);
        assertThat(matches("/?q=1 UNION  SELECT 2", anywhere)).isTrue();
    }

    /** PCRE's newline is \n alone (as Suricata builds it): . matches \r and \x85, ^ and $ see no other line end. */
    @Test
    void aPcreNewlineIsALineFeedAlone() {
        Pcre dot = new Pcre(Buffer.HTTP_URI, "a.b", false, false, false, false, false, false);
        assertThat(matches("a\rb", dot)).isTrue();
        assertThat(matches("a\u0085b", dot)).isTrue();
        assertThat(matches("a\nb", dot)).isFalse();
        Pcre end = new Pcre(Buffer.HTTP_URI, "a$", false, false, false, false, false, false);
        assertThat(matches("xa\n", end)).isTrue();
        assertThat(matches("xa\r\n", end)).isFalse();
        assertThat(matches("xa\u0085", end)).isFalse();
        Pcre lineStart = new Pcre(Buffer.HTTP_URI, "^b", false, false, false, true, false, false);
        assertThat(matches("a\nb", lineStart)).isTrue();
        assertThat(matches("a\rb", lineStart)).isFalse();
    }

    @Test
    void catastrophicBacktrackingIsCutOffByTheStepBudget() {
        Pcre evil = new Pcre(Buffer.HTTP_URI, "(a+)+$", false, false, false, false, false, false);
        long t0 = System.nanoTime();
        boolean result = matches("a".repeat(5000) + "!", evil);
        assertThat(result).isFalse();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
    }

    @Test
    void catastrophicBacktrackingAfterALiteralIsCutOffToo() {
        // The literal occurs at every position: each place it is tried draws on the same budget.
        Pcre evil = new Pcre(Buffer.HTTP_URI, "aaa(a+)+$", false, false, false, false, false, false);
        long t0 = System.nanoTime();
        boolean result = matches("a".repeat(5000) + "!", evil);
        assertThat(result).isFalse();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2000);
    }

    /**
     * A pcre that begins with a literal is searched by finding the literal first; what it matches,
     * and where the match ends, must be what the JDK's region search (the reference) gives:
     * relative or not, caseless or not, with anchors and look-arounds near the search's start.
     */
    @Test
    void aPcreBeginningWithALiteralMatchesWhatTheRegionSearchMatches() {
        String[] patterns = {"ab=[0-9a-f]{2,4}&", "abc", "abc$", "abc(?<=Nabc)", "abc(?<!Nabc)a", "abc\\b", "abc\\.?c+a",
                "abc(?=a)", "abca?(b)\\1", "aBc[c]", "abc^", "abc(?m:^)a"};
        java.util.Random rnd = new java.util.Random(7);
        String alphabet = "abcABN.&=0f\n";
        int checked = 0;
        for (String pattern : patterns) {
            for (int flags = 0; flags < 4; flags++) {
                boolean caseless = (flags & 1) != 0;
                boolean relative = (flags & 2) != 0;
                Pcre pcre = new Pcre(Buffer.HTTP_URI, pattern, false, caseless, false, false, false, relative);
                java.util.regex.Pattern java = PcreTranslation.toJava(pcre);
                assertThat(PcreTranslation.literalPrefix(java)).as(pattern).isNotNull();
                for (int t = 0; t < 300; t++) {
                    StringBuilder text = new StringBuilder();
                    for (int i = rnd.nextInt(40); i > 0; i--) {
                        text.append(rnd.nextInt(3) == 0 ? "abc" : String.valueOf(alphabet.charAt(rnd.nextInt(alphabet.length()))));
                    }
                    String s = text.toString();
                    // "N", then the pcre, then "&" right where the pcre's match ends.
                    boolean expected = false;
                    for (int n = s.indexOf('N'); n >= 0 && !expected; n = s.indexOf('N', n + 1)) {
                        java.util.regex.Matcher m = java.matcher(s);
                        m.region(relative ? n + 1 : 0, s.length());
                        m.useAnchoringBounds(relative);
                        expected = m.find() && s.startsWith("&", m.end());
                    }
                    boolean actual = matches(s, plain("N"), pcre, content("&", false, -1, -1, 0, 1));
                    assertThat(actual).as("%s %s on %s", pattern, flags, s).isEqualTo(expected);
                    checked += expected ? 1 : 0;
                }
            }
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void theWindowKeepsTheLastBytesContiguousAndCountsPositions() {
        ByteWindow w = new ByteWindow(8);
        w.append(ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII)));
        w.append(ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)));
        ByteView v = w.view(0);
        assertThat(v.endPosition()).isEqualTo(12);
        assertThat(new String(v.bytes(), StandardCharsets.US_ASCII)).endsWith("89ab").hasSizeGreaterThanOrEqualTo(8);
        assertThat(v.at(11)).isEqualTo((byte) 'b');
        ByteView body = w.view(10);
        assertThat(body.firstPosition()).isZero();
        assertThat(body.length()).isEqualTo(2);
    }
}
