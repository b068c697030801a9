package org.omamori.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The stripe's table gives what a {@code HashMap} gives through puts, removes, sweeps and clears. */
class TallyTableTest {

    /** A key whose hash is chosen, so that many share a home slot and removals must move keys back. */
    private record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void agreesWithAHashMapThroughRandomOperationsOnCollidingKeys() {
        SplittableRandom r = new SplittableRandom(18);
        TallyTable<Integer> table = new TallyTable<>();
        Map<Key, Integer> map = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            Key k = new Key(r.nextInt(3_000), 0);
            k = new Key(k.id(), k.id() % 40); // 40 distinct hashes over 3,000 keys: long probe runs
            int op = r.nextInt(100);
            if (op < 50) {
                if (map.get(k) == null) {
                    table.putNew(k, step);
                    map.put(k, step);
                }
            } else if (op < 85) {
                table.remove(k);
                map.remove(k);
            } else if (op < 86) {
                int cut = r.nextInt(200_000);
                table.removeIf(v -> v < cut);
                map.values().removeIf(v -> v < cut);
            } else if (op < 87 && r.nextInt(20) == 0) {
                table.clear();
                map.clear();
            }
            assertEquals(map.get(k), table.get(k));
            assertEquals(map.size(), table.size());
        }
        for (int id = 0; id < 3_000; id++) {
            Key k = new Key(id, id % 40);
            assertEquals(map.get(k), table.get(k));
        }
        long[] sum = {0};
        table.forEachValue(v -> sum[0] += v);
        assertEquals(map.values().stream().mapToLong(Integer::longValue).sum(), sum[0]);
        assertNull(table.get(new Key(5_000, 5)));
    }
}
