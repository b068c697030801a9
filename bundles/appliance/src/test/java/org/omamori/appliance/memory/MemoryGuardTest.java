package org.omamori.appliance.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.omamori.api.memory.LoadShedding;
import org.omamori.api.memory.Shedding;

/** The guard trips past its high-water marks and recovers under its low-water marks, driven by a probe the test sets. */
class MemoryGuardTest {

    private static final long MB = 1 << 20;

    /** Heap and resident figures as the test sets them; counts the collections asked for. */
    static final class Probe implements MemoryProbe {
        volatile long heapUsed;
        volatile long heapMax = 200 * MB;
        volatile long collections;
        volatile long resident = 300 * MB;
        volatile int asked;
        /** What a full collection asked for finds live, in MB; negative: what the last reading said. */
        volatile long liveMb = -1;

        @Override
        public HeapAfterCollection heapAfterCollection() {
            return new HeapAfterCollection(heapUsed, heapMax, collections);
        }

        @Override
        public long residentBytes() {
            return resident;
        }

        @Override
        public void collect() {
            asked++;
            if (liveMb >= 0) {
                collected(liveMb);
            }
        }

        void collected(long usedMb) {
            heapUsed = usedMb * MB;
            collections++;
        }
    }

    private final Probe probe = new Probe();
    private final AtomicLong clock = new AtomicLong();
    private final MemoryGuard guard = new MemoryGuard(MemorySettings.of(512), probe, clock::get);

    private void seconds(long s) {
        clock.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    /** Over the mark, a collection asked for, still over at least 5 s later with collections in between: shedding. */
    private void overForFiveSeconds(long usedMb) {
        probe.collected(usedMb);
        guard.check();
        assertThat(guard.shedding()).as("not at the first reading").isFalse();
        seconds(5);
        probe.collected(usedMb);
        guard.check();
    }

    @Test
    void theHeapAfterACollectionPastTheHighMarkStartsSheddingUntilItIsUnderTheLowMark() {
        probe.collected(160); // 80 %: under 85
        guard.check();
        assertThat(guard.shedding()).isFalse();
        assertThat(probe.asked).isZero();

        overForFiveSeconds(176); // 88 %
        assertThat(probe.asked).isEqualTo(1);
        assertThat(guard.shedding()).isTrue();
        assertThat(guard.reason()).isEqualTo("heap after collection 176 MB of 200 MB (over 85 %)");
        assertThat(guard.episodes()).isEqualTo(1);

        probe.collected(150); // 75 %: between the marks, still shedding
        guard.check();
        assertThat(guard.shedding()).isTrue();

        probe.collected(130); // 65 %
        guard.check();
        assertThat(guard.shedding()).isFalse();
        assertThat(guard.reason()).isEmpty();
    }

    @Test
    void aReadingOverTheMarkThatTheCollectionAskedForFreesShedsNothing() {
        probe.liveMb = 100; // old garbage after a young collection: the collection asked for frees it
        probe.collected(190);
        guard.check();
        assertThat(probe.asked).isEqualTo(1);
        assertThat(guard.shedding()).isFalse();

        probe.liveMb = -1;
        seconds(2);
        probe.collected(190); // over again, a collection was asked for 2 s ago: wait
        guard.check();
        assertThat(probe.asked).isEqualTo(1);
        seconds(2);
        probe.collected(120); // the mixed collections freed it: the watch starts over
        guard.check();
        seconds(4);
        probe.collected(190);
        guard.check();
        assertThat(guard.shedding()).isFalse();

        seconds(5);
        guard.check(); // 5 s over, but no collection since: not a new reading
        assertThat(guard.shedding()).isFalse();
        probe.collected(190);
        guard.check();
        assertThat(guard.shedding()).isTrue();
    }

    @Test
    void theResidentSetPastTheBudgetShedsToo() {
        probe.collected(50);
        probe.resident = 530 * MB;
        guard.check();
        assertThat(guard.shedding()).isTrue();
        assertThat(guard.reason()).isEqualTo("resident 530 MB of the 512 MB budget (over 100 %)");

        probe.resident = 500 * MB; // 97.6 %: over the 95 % low mark
        guard.check();
        assertThat(guard.shedding()).isTrue();

        probe.resident = 480 * MB;
        guard.check();
        assertThat(guard.shedding()).isFalse();
    }

    @Test
    void whileSheddingWithoutACollectionOneIsAskedForEveryFiveSeconds() {
        overForFiveSeconds(180);
        assertThat(guard.shedding()).isTrue();
        assertThat(probe.asked).isEqualTo(1); // the confirmation

        seconds(3);
        guard.check();
        assertThat(probe.asked).isEqualTo(1);
        seconds(3);
        guard.check();
        assertThat(probe.asked).isEqualTo(2);
        seconds(1);
        guard.check();
        assertThat(probe.asked).isEqualTo(2);

        probe.collected(100); // what the asked-for collection found
        guard.check();
        assertThat(guard.shedding()).isFalse();
    }

    @Test
    void refusalsAreCountedByIntakeAndWaitersGoOnWhenLoadIsAcceptedAgain() throws Exception {
        overForFiveSeconds(190);
        guard.refused("proxy");
        guard.refused("dns");
        guard.refused("dns");
        guard.refused("smtp");
        assertThat(guard.refusedCount("proxy")).isEqualTo(1);
        assertThat(guard.refusedCount("dns")).isEqualTo(2);
        assertThat(guard.refusedCount("other")).isEqualTo(1);

        assertThat(guard.awaitAccepting(Duration.ZERO)).isFalse();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return guard.awaitAccepting(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(waiting).isNotDone();

        probe.collected(60);
        guard.check();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theRealJvmProbeMeasuresTheHeapAfterACollectionAndTheResidentSet() {
        try (JvmMemoryProbe real = new JvmMemoryProbe()) {
            byte[][] kept = new byte[8][];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = new byte[1 << 20];
            }
            real.collect();
            MemoryProbe.HeapAfterCollection h = real.heapAfterCollection();
            assertThat(h.maxBytes()).isPositive();
            assertThat(h.usedBytes()).isGreaterThan(8 * MB);
            assertThat(h.collections()).isPositive();
            assertThat(real.residentBytes()).isGreaterThan(h.usedBytes());
            // A test threshold, not an exhausted heap: any live data is over a mark of 0.1 %.
            MemoryGuard tiny = new MemoryGuard(new MemorySettings(512 * MB, 0.001, 0.0005, 100, 99, Duration.ofSeconds(1)),
                    real, clock::get);
            tiny.check();
            assertThat(tiny.shedding()).isFalse();
            seconds(5);
            real.collect();
            tiny.check();
            assertThat(tiny.shedding()).isTrue();
            assertThat(kept[7]).hasSize(1 << 20);
        }
    }

    @Test
    void withNoGuardInstalledNothingIsShed() {
        assertThat(Shedding.current()).isSameAs(LoadShedding.NEVER);
        LoadShedding other = LoadShedding.NEVER;
        Shedding.install(guard);
        Shedding.uninstall(other); // not the one installed: stays
        assertThat(Shedding.current()).isSameAs(guard);
        Shedding.uninstall(guard);
        assertThat(Shedding.current().shedding()).isFalse();
    }
}
