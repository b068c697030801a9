package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.InspectionRequest;

/**
 * A list swap lets go of the old lists' arrays at once (issue 18): a swapped-out lists object
 * that the collector has not yet proved dead (an old-generation object until a marking cycle)
 * must not keep its tens of MB of tables reachable, or the next load fills the heap beside them.
 */
class ListReleaseTest {

    @TempDir
    Path dir;
    UrlFilter filter;
    Path first;
    Path second;

    @BeforeEach
    void filter() {
        first = new ListsDir(dir.resolve("first")).file("phishing/domains", "evil.test").root;
        second = new ListsDir(dir.resolve("second")).file("malware/domains", "new-threat.test").root;
        filter = new UrlFilter("1.0.0");
        assertThat(filter.loadNow(first, 100)).isTrue();
    }

    @AfterEach
    void close() {
        filter.close();
    }

    @Test
    void aSwapKeepsNoReferenceFromTheOldListsToTheirArrays() throws Exception {
        CategoryLists before = filter.lists(); // held, as a dead object the collector has not marked yet is
        WeakReference<long[]> slots = new WeakReference<>(before.domainTable().slotArray());
        assertThat(slots.get()).isNotNull();

        filter.reload(second, 100).get(10, TimeUnit.SECONDS);

        for (int i = 0; i < 20 && slots.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(slots.get()).as("the old lists' slot array, unreachable once swapped out").isNull();
        assertThat(before.footprint()).isZero();
        assertThat(before.retain()).as("released lists take no new hold").isFalse();
        assertThat(filter.inspect(InspectionRequest.dns("new-threat.test").build()).action()).isEqualTo(Action.BLOCK);
    }

    @Test
    void anInspectionUnderWayKeepsItsListsUntilItEnds() throws Exception {
        CategoryLists before = filter.lists();
        assertThat(before.retain()).isTrue(); // an inspection that read the lists just before the swap

        filter.reload(second, 100).get(10, TimeUnit.SECONDS);

        assertThat(before.footprint()).isPositive();
        assertThat(before.blocks(before.find("www.evil.test"))).isTrue();
        before.release(); // its end: the last hold
        assertThat(before.footprint()).isZero();
        assertThat(filter.lists().footprint()).isPositive();
    }

    @Test
    void aFailedLoadReleasesNothing() {
        CategoryLists before = filter.lists();
        filter.reload(dir.resolve("missing"), 100).exceptionally(e -> null).join();
        assertThat(filter.lists()).isSameAs(before);
        assertThat(before.footprint()).isPositive();
        assertThat(filter.inspect(InspectionRequest.dns("evil.test").build()).action()).isEqualTo(Action.BLOCK);
    }
}
