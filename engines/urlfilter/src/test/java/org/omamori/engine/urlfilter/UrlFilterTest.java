package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;

class UrlFilterTest {

    @TempDir
    Path dir;
    UrlFilter filter;
    Path first;

    @BeforeEach
    void filter() {
        first = new ListsDir(dir.resolve("first"))
                .file("categories.conf", "phishing | block | high | フィッシング詐欺 | Phishing", "news | log | low | ニュース | News")
                .file("phishing/domains", "evil.test")
                .file("phishing/urls", "hosting.example/bad")
                .file("news/domains", "news.example", "hosting.example").root;
        filter = new UrlFilter("1.2.3");
        assertThat(filter.loadNow(first, 100)).isTrue();
    }

    @AfterEach
    void close() {
        filter.close();
    }

    @Test
    void theDescriptorNamesTheEngineItsVersionAndUrlFiltering() {
        assertThat(filter.descriptor().id()).isEqualTo("urlfilter");
        assertThat(filter.descriptor().version()).isEqualTo("1.2.3");
        assertThat(filter.descriptor().functions()).containsExactly(SecurityFunction.URL_FILTERING);
    }

    @Test
    void aBlockingCategoryBlocksWithAFindingAndANoteNamingTheEntry() {
        Verdict v = filter.inspect(InspectionRequest.http("GET", "http://www.evil.test/login").build());
        assertThat(v.action()).isEqualTo(Action.BLOCK);
        assertThat(v.finding()).contains(new Finding("category:phishing", "フィッシング詐欺 / Phishing", Level.HIGH, 100, Evidence.PHISHING));
        assertThat(v.note()).isEqualTo("matched evil.test in phishing/domains");
    }

    @Test
    void everyMatchOfACategoryHandsOutTheSameFindingAndItsOwnNote() {
        // made once per list load: the DNS filter asks for a million names, the finding's texts are the same
        Verdict a = filter.inspect(InspectionRequest.dns("a.evil.test").build());
        Verdict b = filter.inspect(InspectionRequest.dns("b.evil.test").build());
        assertThat(a.finding().orElseThrow()).isSameAs(b.finding().orElseThrow())
                .isEqualTo(new Finding("category:phishing", "フィッシング詐欺 / Phishing", Level.HIGH, 100, Evidence.PHISHING));
        assertThat(a).isEqualTo(b).isEqualTo(Verdict.block(a.finding().get()).withNote("matched evil.test in phishing/domains"));
        Verdict url = filter.inspect(InspectionRequest.http("GET", "http://hosting.example/bad/x").build());
        assertThat(url.note()).isEqualTo("matched hosting.example/bad in phishing/urls");
        assertThat(url.finding().orElseThrow()).isEqualTo(a.finding().orElseThrow());
    }

    @Test
    void aLogOnlyCategoryPassesWithAFinding() {
        Verdict v = filter.inspect(InspectionRequest.http("GET", "http://news.example/").build());
        assertThat(v.action()).isEqualTo(Action.PASS);
        assertThat(v.finding()).map(Finding::ruleId).contains("category:news");
        assertThat(v.finding()).map(Finding::ruleName).contains("ニュース / News");
        assertThat(v.note()).isEqualTo("matched news.example in news/domains");
    }

    @Test
    void noMatchIsClean() {
        assertThat(filter.inspect(InspectionRequest.http("GET", "http://fine.test/").build())).isSameAs(Verdict.clean());
        assertThat(filter.inspect(InspectionRequest.other().build())).isSameAs(Verdict.clean());
    }

    @Test
    void httpUsesTheHostAndThePathOfTheUrl() {
        Verdict v = filter.inspect(InspectionRequest.http("GET", "/bad/x").host("hosting.example").build());
        assertThat(v.action()).isEqualTo(Action.BLOCK);
        assertThat(v.note()).isEqualTo("matched hosting.example/bad in phishing/urls");
    }

    @Test
    void tlsAndDnsUseTheHostOnly() {
        assertThat(filter.inspect(InspectionRequest.tls("a.evil.test").build()).action()).isEqualTo(Action.BLOCK);
        assertThat(filter.inspect(InspectionRequest.dns("evil.test.").build()).action()).isEqualTo(Action.BLOCK);
        assertThat(filter.inspect(InspectionRequest.tls("hosting.example").url("http://hosting.example/bad").build()).action())
                .isEqualTo(Action.PASS);
    }

    @Test
    void requestsThatDoNotWantUrlFilteringAreClean() {
        InspectionRequest r = InspectionRequest.http("GET", "http://evil.test/").functions(java.util.Set.of(SecurityFunction.IPS)).build();
        assertThat(filter.inspect(r)).isSameAs(Verdict.clean());
    }

    @Test
    void aReloadSwapsInTheNewListsAsAWhole() throws Exception {
        Path second = new ListsDir(dir.resolve("second")).file("malware/domains", "new-threat.test").root;
        CategoryLists before = filter.lists();
        CategoryLists loaded = filter.reload(second, 100).get(10, TimeUnit.SECONDS);
        assertThat(filter.lists()).isSameAs(loaded).isNotSameAs(before);
        assertThat(filter.inspect(InspectionRequest.dns("new-threat.test").build()).action()).isEqualTo(Action.BLOCK);
        assertThat(filter.inspect(InspectionRequest.dns("evil.test").build())).isSameAs(Verdict.clean());
    }

    @Test
    void aFailedReloadKeepsTheListsInForce() {
        CategoryLists before = filter.lists();
        assertThatThrownBy(() -> filter.reload(dir.resolve("missing"), 100).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThat(filter.lists()).isSameAs(before);
        assertThat(filter.inspect(InspectionRequest.dns("evil.test").build()).action()).isEqualTo(Action.BLOCK);
    }

    @Test
    void anOversizedReloadIsRefusedAndKeepsTheListsInForce() {
        Path big = new ListsDir(dir.resolve("big")).file("news/domains", "a.test", "b.test", "c.test").root;
        CategoryLists before = filter.lists();
        assertThatThrownBy(() -> filter.reload(big, 2).join()).hasCauseInstanceOf(ListsTooLargeException.class);
        assertThat(filter.lists()).isSameAs(before);
    }

    @Test
    void aMissingDirectoryAtActivationLeavesTheEngineRunningWithNoLists() {
        try (UrlFilter fresh = new UrlFilter("1.0.0")) {
            assertThat(fresh.loadNow(dir.resolve("missing"), 100)).isFalse();
            assertThat(fresh.lists().entries()).isZero();
            assertThat(fresh.inspect(InspectionRequest.dns("evil.test").build())).isSameAs(Verdict.clean());
        }
    }

    @Test
    void inspectionsDuringReloadsAlwaysSeeWholeLists() throws Exception {
        Path second = new ListsDir(dir.resolve("second")).file("phishing/domains", "evil.test", "other.test").root;
        Thread[] readers = new Thread[2];
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < readers.length; i++) {
            readers[i] = new Thread(() -> {
                InspectionRequest r = InspectionRequest.dns("x.evil.test").build();
                while (!stop.get()) {
                    try {
                        if (filter.inspect(r).action() != Action.BLOCK) {
                            wrong.incrementAndGet();
                        }
                    } catch (RuntimeException e) { // e.g. lists released under a lookup
                        wrong.incrementAndGet();
                    }
                }
            });
            readers[i].start();
        }
        for (int i = 0; i < 20; i++) {
            filter.reload(i % 2 == 0 ? second : first, 100).get(10, TimeUnit.SECONDS);
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(wrong.get()).isZero();
    }
}
