package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which list entries are refused as too broad or not host names (Public Suffix List, syntax). */
class ListEntryRulesTest {

    @TempDir
    Path dir;

    @Test
    void bareIcannSuffixesAreReportedAndNotLoaded() {
        CategoryLists l = new ListsDir(dir)
                .file("phishing/domains", "before.test", "com", "co.jp", "jp", ".com", "*.co.jp", "foo.kawasaki.jp",
                        "city.kawasaki.jp", "東京.jp", "xn--p1ai", "example.co.jp", "after.test")
                .load();
        assertThat(l.problems()).extracting(ListProblem::toString).containsExactly(
                "phishing/domains:2: a top-level domain alone (it would block every name in it): \"com\"",
                "phishing/domains:3: a public suffix alone (it would block every name registered under it): \"co.jp\"",
                "phishing/domains:4: a top-level domain alone (it would block every name in it): \"jp\"",
                "phishing/domains:5: a top-level domain alone (it would block every name in it): \"com\"",
                "phishing/domains:6: a public suffix alone (it would block every name registered under it): \"co.jp\"",
                "phishing/domains:7: a public suffix alone (it would block every name registered under it): \"foo.kawasaki.jp\"",
                "phishing/domains:9: a public suffix alone (it would block every name registered under it): \"東京.jp\"",
                "phishing/domains:10: a top-level domain alone (it would block every name in it): \"xn--p1ai\"");
        assertThat(l.entries()).isEqualTo(4);
        assertThat(l.match("www.example.com")).isEmpty();
        assertThat(l.match("shop.co.jp")).isEmpty();
        assertThat(l.match("x.foo.kawasaki.jp")).isEmpty();
        assertThat(l.match("city.kawasaki.jp")).isPresent(); // an exception rule: a registered name
        assertThat(l.match("www.example.co.jp")).isPresent();
        assertThat(l.match("before.test")).isPresent();
        assertThat(l.match("after.test")).isPresent();
    }

    /**
     * An international name is decided by the filter of the rules' xn-- forms: the library (half a
     * second to start, a third of the appliance's start with the sample lists) is asked only about
     * names that may be a suffix, international or not.
     */
    @Test
    void internationalNamesReachTheLibraryOnlyWhenTheyMayBeASuffix() {
        long before = PublicSuffixes.LIBRARY_CALLS.get();
        CategoryLists l = new ListsDir(dir).file("phishing/domains", "ログイン銀行.test", "bücher.example", "xn--p1ai.test", "例え.jp",
                "銀行.東京.jp").load();
        assertThat(l.problems()).isEmpty();
        assertThat(l.entries()).isEqualTo(5);
        assertThat(PublicSuffixes.LIBRARY_CALLS.get() - before).as("library calls").isZero();

        CategoryLists suffixes = new ListsDir(dir).file("phishing/domains", "東京.jp", "公司.cn", "个人.hk", "aéroport.ci").load();
        assertThat(suffixes.problems()).extracting(ListProblem::toString).allMatch(p -> p.contains("a public suffix alone")).hasSize(4);
        assertThat(suffixes.entries()).isZero();
    }

    @Test
    void privateSectionSuffixesLoad() {
        // One company's name: lists block whole providers (pages hosts, dynamic DNS) on purpose.
        CategoryLists l = new ListsDir(dir).file("malware/domains", "github.io", "duckdns.org", "blogspot.com").load();
        assertThat(l.problems()).isEmpty();
        assertThat(l.match("evil.github.io")).isPresent();
        assertThat(l.match("c2.duckdns.org")).isPresent();
    }

    @Test
    void namesThatAreNotHostNamesAreReported() {
        CategoryLists l = new ListsDir(dir)
                .bytes("news/domains", lines(
                        "ok.test",
                        "a..b.test",
                        "x".repeat(64) + ".test",
                        ("a".repeat(60) + ".").repeat(5) + "test",
                        "host.t_d",
                        "host.123abc",
                        "\uE000.test",
                        "bad\u00A0space.test",
                        "under_score.test",
                        "ok2.test"))
                .bytes("news/urls", lines("com/path", "co.jp/x", "host.t_d/x", "7/x", "site.example.jp/path"))
                .load();
        assertThat(l.problems()).extracting(ListProblem::toString).containsExactly(
                "news/domains:2: empty label in domain name: \"a..b.test\"",
                "news/domains:3: label longer than 63 characters: \"" + "x".repeat(64) + ".test\"",
                "news/domains:4: domain name longer than 253 characters: \"" + (("a".repeat(60) + ".").repeat(5) + "test").substring(0, 80) + "...\"",
                "news/domains:5: top-level label is not letters (nor an xn-- name): \"host.t_d\"",
                "news/domains:6: top-level label is not letters (nor an xn-- name): \"host.123abc\"",
                "news/domains:7: not an international domain name (java.text.ParseException: A prohibited code point was found in the input\\ue000): \"\\ue000.test\"",
                "news/domains:8: not a domain name: \"bad\\xa0space.test\"",
                "news/urls:1: not a URL entry (a top-level domain alone (it would block every name in it): \"com\"): \"com/path\"",
                "news/urls:2: not a URL entry (a public suffix alone (it would block every name registered under it): \"co.jp\"): \"co.jp/x\"",
                "news/urls:3: not a URL entry (top-level label is not letters (nor an xn-- name): \"host.t_d\"): \"host.t_d/x\"",
                "news/urls:4: not a URL entry (IPv4 address not in dotted-decimal form: \"7\"): \"7/x\"");
        assertThat(l.match("under_score.test")).isPresent(); // underscores: real DNS names use them
        assertThat(l.match("ok.test")).isPresent();
        assertThat(l.match("ok2.test")).isPresent();
        assertThat(l.match("http://site.example.jp/path/x")).isPresent();
        assertThat(l.entries()).isEqualTo(4);
    }

    @Test
    void ipv4EntriesMustBeDottedDecimal() {
        CategoryLists l = new ListsDir(dir)
                .file("c2/domains", "7", "0x7f.1", "010.0.0.1", "192.0.2.1", "198.51.100.7.", "203.0.113.256")
                .load();
        assertThat(l.problems()).extracting(ListProblem::toString).containsExactly(
                "c2/domains:1: IPv4 address not in dotted-decimal form: \"7\"",
                "c2/domains:2: IPv4 address not in dotted-decimal form: \"0x7f.1\"",
                "c2/domains:3: IPv4 address not in dotted-decimal form: \"010.0.0.1\"",
                "c2/domains:6: not a domain name or IPv4 address: \"203.0.113.256\"");
        assertThat(l.match("192.0.2.1")).isPresent();
        assertThat(l.match("0xC0.0.2.1")).isPresent(); // requests still may write it any way
        assertThat(l.match("198.51.100.7")).isPresent();
        assertThat(l.match("0.0.0.7")).isEmpty();
        assertThat(l.match("8.0.0.1")).isEmpty();
    }

    @Test
    void aRandomBytesFileLoadsNothingAndReportsEachLineWithFileAndLine() {
        byte[] garbage = new byte[4 << 20];
        new Random(13).nextBytes(garbage);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("first.test\n".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(garbage);
        file.writeBytes("\nlast.test\n".getBytes(StandardCharsets.US_ASCII));
        CategoryLists l = new ListsDir(dir).bytes("malware/domains", file.toByteArray()).file("news/domains", "fine.test").load();
        assertThat(l.entries()).isEqualTo(3);
        assertThat(l.match("first.test")).isPresent();
        assertThat(l.match("last.test")).isPresent();
        assertThat(l.match("fine.test")).isPresent();
        assertThat(l.problemCount()).isGreaterThan(10_000);
        assertThat(l.problems()).hasSize(ListLoader.MAX_KEPT_PROBLEMS)
                .allSatisfy(p -> assertThat(p.toString()).matches("(?s)malware/domains:[0-9]+: .+"));
    }

    @Test
    void aDirectoryNameWithControlCharactersIsReportedEscaped() {
        CategoryLists l = new ListsDir(dir).file("evil\u001b[2J\n/domains", "x.example.jp").file("news/domains", "n.test").load();
        assertThat(l.problems()).extracting(ListProblem::toString)
                .containsExactly("evil\\x1b[2J\\x0a: directory skipped: not a category name (lower case letters, digits, _ and -)");
        assertThat(l.match("x.example.jp")).isEmpty();
    }

    private static byte[] lines(String... lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
