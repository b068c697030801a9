package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Level;

class CategoryListsTest {

    @TempDir
    Path dir;
    CategoryLists lists;

    @BeforeEach
    void lists() {
        lists = new ListsDir(dir)
                .file("phishing/domains", "example.jp", "login.bank.test", "192.0.2.1", "[2001:DB8::1]", "ログイン銀行.test")
                .file("phishing/urls", "www.hosting.example/users/evil", "hosting.example/phish?id=1", "http://hosting.example/パス")
                .file("news/domains", "news.example", "hosting.example", "Mixed.Case.EXAMPLE")
                .file("news/urls", "news.example/politics")
                .file("social/domains", "sub.bad.example")
                .file("malware/domains", "bad.example")
                .load();
    }

    private String entry(String url) {
        return lists.match(url).map(UrlMatch::entry).orElse(null);
    }

    private String category(String url) {
        return lists.match(url).map(m -> m.category().id()).orElse(null);
    }

    @Test
    void aHostMatchesItsOwnEntryAndEveryParentDomainEntry() {
        assertThat(entry("example.jp")).isEqualTo("example.jp");
        assertThat(entry("a.example.jp")).isEqualTo("example.jp");
        assertThat(entry("sub.a.example.jp")).isEqualTo("example.jp");
        assertThat(entry("http://sub.a.example.jp/x")).isEqualTo("example.jp");
    }

    @Test
    void onlyWholeLabelsMatch() {
        assertThat(lists.match("notexample.jp")).isEmpty();
        assertThat(lists.match("example.jp.evil.test")).isEmpty();
        assertThat(lists.match("jp")).isEmpty();
        assertThat(lists.match("bank.test")).isEmpty();
    }

    @Test
    void matchingIgnoresCase() {
        assertThat(entry("HTTP://WWW.EXAMPLE.JP/Path")).isEqualTo("example.jp");
        assertThat(entry("mixed.case.example")).isEqualTo("mixed.case.example");
        assertThat(entry("Login.BANK.test")).isEqualTo("login.bank.test");
        assertThat(entry("http://NEWS.example/POLITICS/today")).isEqualTo("news.example/politics");
    }

    @Test
    void trailingDotsPortsAndUserinfoAreIgnored() {
        assertThat(entry("example.jp.")).isEqualTo("example.jp");
        assertThat(entry("www.example.jp.:8443")).isEqualTo("example.jp");
        assertThat(entry("https://user:pass@www.example.jp:8080/a")).isEqualTo("example.jp");
        assertThat(entry("https://example.jp.@safe.test/")).isNull();
        assertThat(entry("http://safe.test\\@example.jp/")).isNull();
        assertThat(entry("http://example.jp\\@safe.test/")).isEqualTo("example.jp");
    }

    @Test
    void ipLiteralsMatchInCanonicalFormOnly() {
        assertThat(lists.match("192.0.2.1")).map(UrlMatch::kind).contains(UrlMatch.Kind.IP);
        assertThat(entry("http://192.0.2.1:8080/x")).isEqualTo("192.0.2.1");
        assertThat(entry("http://0xC0.0.2.1/")).isEqualTo("192.0.2.1");
        assertThat(entry("http://3221225985/")).isEqualTo("192.0.2.1");
        assertThat(entry("http://192.0.2.01/")).isEqualTo("192.0.2.1");
        assertThat(entry("2.1")).isNull();
        assertThat(entry("192.0.2.10")).isNull();
        assertThat(entry("http://[2001:db8::1]/")).isEqualTo("2001:db8::1");
        assertThat(entry("http://[2001:0DB8:0:0:0:0:0:1]:443/")).isEqualTo("2001:db8::1");
        assertThat(entry("2001:db8:0::1")).isEqualTo("2001:db8::1");
        assertThat(entry("[::ffff:192.0.2.1]")).isEqualTo("192.0.2.1");
        assertThat(entry("http://[2001:db8::2]/")).isNull();
        assertThat(entry("http://[not-an-address]/")).isNull();
        assertThat(entry("999.1.1.1")).isNull();
    }

    @Test
    void internationalNamesMatchThroughPunycode() {
        String puny = java.net.IDN.toASCII("ログイン銀行.test");
        assertThat(entry("ログイン銀行.test")).isEqualTo(puny);
        assertThat(entry("https://www.ログイン銀行.test/")).isEqualTo(puny);
        assertThat(entry("http://" + puny.toUpperCase() + "/")).isEqualTo(puny);
        assertThat(entry("ログイン銀行。test")).isEqualTo(puny); // ideographic full stop, as IDNA maps it
        assertThat(entry("ログイン.test")).isNull();
    }

    @Test
    void urlEntriesMatchPathPrefixesAtSegmentBoundaries() {
        assertThat(lists.match("http://hosting.example/users/evil/page.html"))
                .map(m -> m.kind() + " " + m.entry()).contains("URL hosting.example/users/evil");
        assertThat(entry("http://www.hosting.example/users/evil")).isEqualTo("hosting.example/users/evil");
        assertThat(entry("http://hosting.example/users/evil/")).isEqualTo("hosting.example/users/evil");
        assertThat(entry("http://hosting.example/users/evil?x=1")).isEqualTo("hosting.example/users/evil");
        assertThat(category("http://hosting.example/users/evildoer")).isEqualTo("news"); // not a segment boundary
        assertThat(category("http://hosting.example/users")).isEqualTo("news");
        assertThat(entry("http://hosting.example/phish?id=1")).isEqualTo("hosting.example/phish?id=1");
        assertThat(category("http://hosting.example/phish?id=2")).isEqualTo("news");
        assertThat(category("http://other.hosting.example/users/evil")).isEqualTo("news"); // URL entries are per host
    }

    @Test
    void nonAsciiPathsCompareAsPercentEncodedUtf8() {
        assertThat(entry("http://hosting.example/%E3%83%91%E3%82%B9/x")).isEqualTo("hosting.example/%e3%83%91%e3%82%b9");
        assertThat(entry("http://hosting.example/パス")).isEqualTo("hosting.example/%e3%83%91%e3%82%b9");
    }

    @Test
    void aBlockingCategoryWinsOverAMoreSpecificLogOnlyMatch() {
        // sub.bad.example is listed as social (log), its parent bad.example as malware (block).
        assertThat(lists.match("x.sub.bad.example")).map(UrlMatch::toString).contains("malware block bad.example (malware/domains)");
        // hosting.example is news (log), a URL on it is phishing (block).
        assertThat(category("http://hosting.example/users/evil")).isEqualTo("phishing");
    }

    @Test
    void otherwiseTheMostSpecificMatchWins() {
        assertThat(entry("http://news.example/politics/a")).isEqualTo("news.example/politics");
        assertThat(lists.match("http://news.example/politics/a")).map(UrlMatch::kind).contains(UrlMatch.Kind.URL);
    }

    @Test
    void categoriesWithoutAConfLineGetTheDefaults() {
        CategoryLists l = new ListsDir(dir.resolve("defaults"))
                .file("phishing/domains", "p.test").file("malware/domains", "m.test").file("c2/domains", "c.test")
                .file("gambling/domains", "g.test").load();
        assertThat(l.match("p.test").orElseThrow().action()).isEqualTo(ListAction.BLOCK);
        assertThat(l.match("m.test").orElseThrow().action()).isEqualTo(ListAction.BLOCK);
        assertThat(l.match("c.test").orElseThrow().action()).isEqualTo(ListAction.BLOCK);
        assertThat(l.match("c.test").orElseThrow().category().level()).isEqualTo(Level.CRITICAL);
        assertThat(l.match("g.test").orElseThrow().action()).isEqualTo(ListAction.LOG);
        assertThat(l.match("g.test").orElseThrow().category().labelEn()).isEqualTo("gambling");
    }

    @Test
    void categoriesConfSetsActionLevelAndLabels() {
        CategoryLists l = new ListsDir(dir.resolve("conf"))
                .file("categories.conf", "# comment", "", "gambling | block | critical | ギャンブル | Gambling",
                        "phishing | log | low | フィッシング | Phishing (log only here)")
                .file("phishing/domains", "p.test").file("gambling/domains", "g.test").load();
        Category g = l.match("g.test").orElseThrow().category();
        assertThat(g).isEqualTo(new Category("gambling", ListAction.BLOCK, Level.CRITICAL, "ギャンブル", "Gambling"));
        assertThat(l.match("p.test").orElseThrow().action()).isEqualTo(ListAction.LOG);
    }

    @Test
    void anEntryInSeveralCategoriesReportsAllOfThem() {
        CategoryLists l = new ListsDir(dir.resolve("multi"))
                .file("news/domains", "both.test").file("phishing/domains", "both.test").file("social/domains", "both.test").load();
        int code = l.find("both.test");
        assertThat(l.categoryOf(code).id()).isEqualTo("phishing");
        assertThat(l.categoriesOf(code)).extracting(Category::id).containsExactly("news", "phishing", "social");
        assertThat(l.domainCount()).isEqualTo(1);
        assertThat(l.entries()).isEqualTo(3);
    }

    @Test
    void aRequestHostWithAnOriginFormUrlUsesTheHostForDomainsAndTheUrlForPaths() {
        assertThat(lists.find("www.hosting.example:80", "/users/evil/x")).satisfies(c -> assertThat(lists.entryOf(c)).isEqualTo("hosting.example/users/evil"));
        assertThat(lists.find("example.jp", "")).satisfies(c -> assertThat(lists.entryOf(c)).isEqualTo("example.jp"));
        assertThat(lists.find("safe.test", "http://example.jp/")).isEqualTo(CategoryLists.NO_MATCH);
        assertThat(lists.find("", "http://example.jp/")).isNotEqualTo(CategoryLists.NO_MATCH);
        assertThat(lists.find("/just/a/path")).isEqualTo(CategoryLists.NO_MATCH);
    }

    @Test
    void theMatchNoteSpellsTheEntryAndListFileAsDescribeDoes() {
        CategoryLists l = new ListsDir(dir.resolve("notes"))
                .file("news/domains", "both.test", "news.example").file("phishing/domains", "both.test", "192.0.2.1", "[2001:db8::1]")
                .file("phishing/urls", "hosting.example/bad").file("news/urls", "news.example/politics").load();
        for (String url : List.of("both.test", "www.news.example", "http://192.0.2.1/", "http://[2001:db8::1]/",
                "http://hosting.example/bad/x", "news.example/politics/1")) {
            int code = l.find(url);
            UrlMatch m = l.describe(code);
            assertThat(l.matchNote(code)).as(url).isEqualTo("matched " + m.entry() + " in " + m.listFile());
        }
        assertThat(l.matchNote(l.find("http://[2001:db8::1]/"))).isEqualTo("matched 2001:db8::1 in phishing/domains");
        assertThat(l.matchNote(l.find("news.example/politics/1"))).isEqualTo("matched news.example/politics in news/urls");
    }

    @Test
    void nothingMatchesInEmptyLists() {
        assertThat(CategoryLists.empty().match("example.jp")).isEmpty();
        assertThat(CategoryLists.empty().blocks(CategoryLists.NO_MATCH)).isFalse();
    }

    @Test
    void theSampleListsLoadCleanlyAndCoverEveryKindOfEntry() throws Exception {
        CategoryLists sample = CategoryLists.load(ListsDir.sampleLists());
        assertThat(sample.problems()).isEmpty();
        assertThat(sample.categories()).extracting(Category::id)
                .contains("phishing", "malware", "c2", "adult", "gambling", "news", "social", "games");
        assertThat(sample.match("https://login-bank.phish.test/")).map(UrlMatch::action).contains(ListAction.BLOCK);
        assertThat(sample.match("http://[2001:db8::bad]/")).map(UrlMatch::kind).contains(UrlMatch.Kind.IP);
        assertThat(sample.match("http://192.0.2.66/")).map(UrlMatch::kind).contains(UrlMatch.Kind.IP);
        assertThat(sample.match("http://www.ログイン銀行.test/")).map(UrlMatch::action).contains(ListAction.BLOCK);
        assertThat(sample.match("http://free-hosting.example/~bank-login/index.html")).map(UrlMatch::action).contains(ListAction.BLOCK);
        assertThat(sample.match("http://free-hosting.example/blog")).map(UrlMatch::action).contains(ListAction.LOG);
        assertThat(sample.match("http://games.example/")).map(m -> m.category().labelJa()).contains("ゲーム");
        assertThat(sample.match("http://example.org/")).isEqualTo(Optional.empty());
    }
}
