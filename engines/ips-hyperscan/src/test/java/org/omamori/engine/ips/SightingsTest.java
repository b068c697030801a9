package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The stream's record of literal ends against a plain map of every end, over streams that reuse one record. */
class SightingsTest {

    @Test
    void answersAsAMapOfEveryEndWouldOverManyStreamsAndLiterals() {
        Random random = new Random(18);
        int prefixes = 40_000; // ET Open's order of literal ids
        Sightings sightings = new Sightings(prefixes);
        for (int stream = 0; stream < 200; stream++) {
            sightings.clear();
            Map<Integer, List<Long>> ends = new HashMap<>();
            int literals = 1 + random.nextInt(stream % 10 == 0 ? 500 : 20); // now and then more than the table starts with
            int[] ids = random.ints(literals, 0, prefixes).toArray();
            long end = 0;
            for (int i = 0; i < 2_000; i++) {
                end += 1 + random.nextInt(50);
                int id = ids[random.nextInt(ids.length)];
                sightings.record(id, end);
                ends.computeIfAbsent(id, k -> new ArrayList<>()).add(end);
            }
            sightings.record(-1, end); // out of range: ignored
            sightings.record(prefixes, end);
            sightings.scanned(end);
            for (int id : ids) {
                List<Long> all = ends.getOrDefault(id, List.of());
                assertThat(sightings.seen(id)).isEqualTo(!all.isEmpty());
                long completeFrom = all.size() <= Sightings.KEPT ? 0 : all.get(all.size() - Sightings.KEPT);
                assertThat(sightings.completeFrom(id)).isEqualTo(completeFrom);
                long probe = random.nextLong(end + 10);
                // the record keeps the newest ends: those before completeFrom are gone
                assertThat(sightings.firstEndFrom(id, probe)).as("id %d from %d", id, probe).isEqualTo(
                        all.stream().filter(e -> e >= probe && e >= completeFrom).findFirst().orElse(-1L));
            }
            int unseen = random.nextInt(prefixes);
            if (!ends.containsKey(unseen)) {
                assertThat(sightings.seen(unseen)).isFalse();
                assertThat(sightings.firstEndFrom(unseen, 0)).isEqualTo(-1);
                assertThat(sightings.completeFrom(unseen)).isZero();
            }
        }
        sightings.clear();
        assertThat(sightings.seen(0)).isFalse();
        assertThat(sightings.scannedTo()).isZero();
    }

    @Test
    void literalsThatShareTheQuickFiltersBitAreStillToldApart() {
        Sightings sightings = new Sightings(1_000);
        sightings.record(5, 10);
        assertThat(sightings.seen(5)).isTrue();
        assertThat(sightings.seen(5 + 64)).as("same low six bits, never sighted").isFalse();
        assertThat(sightings.firstEndFrom(5 + 64, 0)).isEqualTo(-1);
        sightings.record(5 + 128, 20);
        assertThat(sightings.firstEndFrom(5 + 128, 0)).isEqualTo(20);
        assertThat(sightings.firstEndFrom(5, 0)).isEqualTo(10);
        for (int id = 0; id < 40; id++) { // past the table's first size: it grows, the record stays
            sightings.record(200 + id, 30 + id);
            sightings.record(200 + id, 100 + id); // a second end of a literal already held: no new slot
        }
        assertThat(sightings.firstEndFrom(239, 0)).isEqualTo(69);
        assertThat(sightings.firstEndFrom(239, 70)).isEqualTo(139);
        assertThat(sightings.firstEndFrom(5, 0)).isEqualTo(10);
        sightings.clear();
        assertThat(sightings.seen(5)).isFalse();
        assertThat(sightings.seen(239)).isFalse();
    }

    /** The filter has 1,024 bits: ids 1,024 apart share one; and the last literal's slot, kept for its next end, moves when the table grows or clears. */
    @Test
    void theLastLiteralsSlotFollowsTheTableThroughGrowthAndClear() {
        Sightings sightings = new Sightings(5_000);
        sightings.record(7, 1);
        assertThat(sightings.seen(7 + 1024)).as("same filter bit, never sighted").isFalse();
        assertThat(sightings.seen(7 + 64)).as("a bit of its own since the filter has 1,024").isFalse();
        for (int id = 100; id < 160; id++) { // grows the table while 7 was the last recorded
            sightings.record(id, 2);
        }
        sightings.record(159, 3); // the last one again: its kept slot, after the growth
        sightings.record(7, 4);
        assertThat(sightings.firstEndFrom(159, 0)).isEqualTo(2);
        assertThat(sightings.firstEndFrom(159, 3)).isEqualTo(3);
        assertThat(sightings.firstEndFrom(7, 2)).isEqualTo(4);
        sightings.clear();
        sightings.record(7, 5); // the last literal before the clear: a slot of the new stream's, not the old one's
        sightings.record(8, 6);
        assertThat(sightings.seen(159)).isFalse();
        assertThat(sightings.firstEndFrom(7, 0)).isEqualTo(5);
        assertThat(sightings.firstEndFrom(8, 0)).isEqualTo(6);
        assertThat(sightings.completeFrom(7)).isZero();
    }
}
