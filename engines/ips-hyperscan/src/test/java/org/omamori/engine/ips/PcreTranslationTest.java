package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The PCRE constructs real rules use that the JDK spells differently. */
class PcreTranslationTest {

    private static boolean finds(String pcre, String text) {
        return Pattern.compile(PcreTranslation.javaSyntax(pcre)).matcher(text).find();
    }

    @Test
    void pythonStyleNamedGroupsAndBackReferencesBecomeJavaOnes() {
        assertThat(finds("(?P<var_1>\\w+)=1;(?P=var_1)\\.go", "abc=1;abc.go")).isTrue();
        assertThat(finds("(?P<var_1>\\w+)=1;(?P=var_1)\\.go", "abc=1;xyz.go")).isFalse();
        assertThat(finds("(?<el_em>\\w+)-\\k<el_em>", "ab-ab")).isTrue();
    }

    @Test
    void aBraceThatStartsNoQuantifierIsALiteral() {
        assertThat(finds("ruby\\s*{\\s*float", "ruby { float")).isTrue();
        assertThat(finds("a{2,3}", "aaa")).isTrue();
        assertThat(finds("[{]x", "{x")).isTrue();
    }

    @Test
    void oneDigitHexEscapesAreBytes() {
        assertThat(finds("\\x4A", "J")).isTrue();
        assertThat(finds("a\\x9-", "a\t-")).isTrue();
    }

    @Test
    void theLiteralEveryMatchBeginsWithIsFoundOnlyWhereItIsCertain() {
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("name=[0-9a-f]{4,16}&"))).isEqualTo("name=");
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("\\/foo\\.php\\?id="))).isEqualTo("/foo.php?id=");
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abc\\d+"))).isEqualTo("abc");
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abcd?e"))).isEqualTo("abc"); // d may be absent
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abc(x|y)"))).isEqualTo("abc");
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("ABC=", Pattern.CASE_INSENSITIVE))).isEqualTo("ABC=");
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("ab\\d"))).isNull(); // too short to pay
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abc|xyz"))).isNull();
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abc[|]|x"))).isNull();
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("(?i)abc"))).isNull();
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("^abc"))).isNull();
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abc def", Pattern.COMMENTS))).isNull();
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abc(?x)#(\n|q"))).isNull();
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("\\Qabc\\E"))).isNull();
        assertThat(PcreTranslation.literalPrefix(Pattern.compile("abc\\Gd"))).isNull();
    }
}
