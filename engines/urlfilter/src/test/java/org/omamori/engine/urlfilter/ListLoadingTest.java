package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListLoadingTest {

    @TempDir
    Path dir;

    @Test
    void badLinesAreSkippedAndReportedWithFileLineAndReason() {
        CategoryLists l = new ListsDir(dir)
                .file("phishing/domains", "# comment", "", "good.test", "exa mple", "a..b.test", "under_score.test  # ok",
                        "-".repeat(64) + ".test", "1.2.3.256", "[2001:db8::zz]", "  spaced.test\t", "*.wild.test", ".dot.test")
                .file("phishing/urls", "ok.test/path", "bad host.test/x", "ok.test/with space")
                .load();
        assertThat(l.problems()).extracting(ListProblem::toString).containsExactly(
                "phishing/domains:4: not a domain name: \"exa mple\"",
                "phishing/domains:5: empty label in domain name: \"a..b.test\"",
                "phishing/domains:7: label longer than 63 characters: \"" + "-".repeat(64) + ".test\"",
                "phishing/domains:8: not a domain name or IPv4 address: \"1.2.3.256\"",
                "phishing/domains:9: not an IPv6 address: \"[2001:db8::zz]\"",
                "phishing/urls:2: not a URL entry (not a domain name: \"bad host.test\"): \"bad host.test/x\"",
                "phishing/urls:3: space in URL entry: \"ok.test/with space\"");
        assertThat(l.problemCount()).isEqualTo(7);
        assertThat(l.match("x.good.test")).isPresent();
        assertThat(l.match("under_score.test")).isPresent();
        assertThat(l.match("spaced.test")).isPresent();
        assertThat(l.match("a.wild.test")).map(UrlMatch::entry).contains("wild.test");
        assertThat(l.match("dot.test")).isPresent();
        assertThat(l.entries()).isEqualTo(6);
    }

    @Test
    void overLongLinesAreSkippedAndReported() {
        CategoryLists l = new ListsDir(dir)
                .file("news/domains", "a.test", "x".repeat(ListLoader.MAX_LINE + 10), "b.test", "y".repeat(200_000), "c.test")
                .load();
        assertThat(l.problems()).extracting(ListProblem::toString).containsExactly(
                "news/domains:2: line longer than 4096 bytes", "news/domains:4: line longer than 4096 bytes");
        assertThat(l.match("a.test")).isPresent();
        assertThat(l.match("b.test")).isPresent();
        assertThat(l.match("c.test")).isPresent();
    }

    @Test
    void binaryGarbageNeverCrashesTheLoader() {
        byte[] garbage = new byte[300_000];
        new Random(42).nextBytes(garbage);
        CategoryLists l = new ListsDir(dir).bytes("malware/domains", garbage).bytes("malware/urls", garbage)
                .bytes("categories.conf", garbage).file("news/domains", "fine.test").load();
        assertThat(l.problemCount()).isPositive();
        assertThat(l.problems().size()).isLessThanOrEqualTo(ListLoader.MAX_KEPT_PROBLEMS);
        assertThat(l.problems()).allSatisfy(p -> assertThat(p.reason()).isNotBlank());
        assertThat(l.match("fine.test")).isPresent();
    }

    @Test
    void invalidUtf8AndControlCharactersAreReported() {
        CategoryLists l = new ListsDir(dir)
                .bytes("news/domains", new byte[] {'a', '.', 't', (byte) 0xC3, '\n', 'b', 0, 'c', '\n', 'o', 'k', '.', 't', 'e', 's', 't', '\n'})
                .load();
        assertThat(l.problems()).extracting(ListProblem::toString)
                .containsExactly("news/domains:1: not valid UTF-8", "news/domains:2: control character in line (binary file?)");
        assertThat(l.match("ok.test")).isPresent();
    }

    @Test
    void crLfLineEndsAndAByteOrderMarkAreAccepted() {
        CategoryLists l = new ListsDir(dir)
                .bytes("news/domains", "\uFEFFfirst.test\r\nsecond.test\r\nlast.test".getBytes(StandardCharsets.UTF_8)).load();
        assertThat(l.problems()).isEmpty();
        assertThat(l.match("first.test")).isPresent();
        assertThat(l.match("second.test")).isPresent();
        assertThat(l.match("last.test")).isPresent();
    }

    @Test
    void badCategoriesConfLinesAndDirectoryNamesAreReported() {
        CategoryLists l = new ListsDir(dir)
                .file("categories.conf", "news | block | high | ニュース", "news | sometimes | high | ニュース | News",
                        "news | log | severe | ニュース | News", "News! | log | low | x | y", "news | log | low | ニュース | News",
                        "news | block | low | ニュース | News")
                .file("Bad Name/domains", "x.test")
                .file("news/domains", "n.test")
                .load();
        assertThat(l.problems()).extracting(ListProblem::toString).containsExactly(
                "categories.conf:1: expected 5 fields \"category | block|log | level | 日本語 | English\", got 4: \"news | block | high | ニュース\"",
                "categories.conf:2: unknown action \"sometimes\" (expected block or log)",
                "categories.conf:3: unknown level \"severe\" (expected low, medium, high or critical)",
                "categories.conf:4: not a category name (lower case letters, digits, _ and -): \"News!\"",
                "categories.conf:6: category news already configured on line 5",
                "Bad Name: directory skipped: not a category name (lower case letters, digits, _ and -)");
        assertThat(l.match("n.test").orElseThrow().category().labelJa()).isEqualTo("ニュース");
        assertThat(l.match("x.test")).isEmpty();
    }

    @Test
    void listsLargerThanTheLimitAreRefusedNamingTheLimitAndTheCount() {
        new ListsDir(dir).file("news/domains", "a.test", "b.test", "c.test").file("phishing/domains", "d.test", "e.test");
        assertThatThrownBy(() -> CategoryLists.load(dir, 4, LoadProgress.NONE))
                .isInstanceOf(ListsTooLargeException.class)
                .hasMessageContaining("more than 4 entries (maxEntries)")
                .hasMessageContaining("count reached 5")
                .hasMessageContaining("phishing/domains:2")
                .satisfies(e -> {
                    assertThat(((ListsTooLargeException) e).limit()).isEqualTo(4);
                    assertThat(((ListsTooLargeException) e).reached()).isEqualTo(5);
                });
    }

    @Test
    void listsAtTheLimitAreAccepted() throws Exception {
        new ListsDir(dir).file("news/domains", "a.test", "b.test", "c.test", "# comments do not count", "bad entry");
        assertThat(CategoryLists.load(dir, 3, LoadProgress.NONE).entries()).isEqualTo(3);
    }

    @Test
    void aMissingDirectoryIsAClearError() {
        assertThatThrownBy(() -> CategoryLists.load(dir.resolve("nope")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope").hasMessageContaining("lists directory not found");
    }

    @Test
    void longLoadsReportProgress() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 250_000; i++) {
            sb.append("host").append(i).append(".test\n");
        }
        Files.createDirectories(dir.resolve("news"));
        Files.writeString(dir.resolve("news/domains"), sb);
        List<Long> seen = new ArrayList<>();
        CategoryLists l = CategoryLists.load(dir, CategoryLists.DEFAULT_MAX_ENTRIES, seen::add);
        assertThat(seen).containsExactly(100_000L, 200_000L, 250_000L);
        assertThat(l.domainCount()).isEqualTo(250_000);
        assertThat(l.match("www.host249999.test")).isPresent();
        assertThat(l.match("host250000.test")).isEmpty();
    }
}
