package org.omamori.engine.urlfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The slot keeps only a fingerprint of the hash: every hit is still confirmed by the key's bytes. */
class KeyTableTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int find(KeyTable t, String key) {
        byte[] b = bytes(key);
        return t.probe(KeyTable.hashRightToLeft(b, 0, b.length), b, 0, b.length);
    }

    @Test
    void keysThatShareTheirHashAreTwoKeysAndAStrangerWithThatHashIsNone() {
        KeyTable t = new KeyTable(16);
        long h = 0x1234_5678_9abc_def0L;
        byte[] a = bytes("a.example");
        byte[] b = bytes("b.example");
        assertTrue(t.add(h, a, 0, a.length, 7) < 0);
        assertTrue(t.add(h, b, 0, b.length, 9) < 0);
        t.trim();
        int sa = t.probe(h, a, 0, a.length);
        int sb = t.probe(h, b, 0, b.length);
        assertTrue(sa >= 0 && sb >= 0 && sa != sb);
        assertEquals(7, t.value(sa));
        assertEquals(9, t.value(sb));
        assertEquals("b.example", t.key(sb));
        byte[] c = bytes("c.example");
        assertEquals(-1, t.probe(h, c, 0, c.length));
        // a hash whose upper half is zero keeps a fingerprint that is not the empty slot's
        long zeroTop = 0x0000_0000_dead_beefL;
        assertTrue(t.add(zeroTop, c, 0, c.length, 3) < 0);
        assertEquals(3, t.value(t.probe(zeroTop, c, 0, c.length)));
    }

    @Test
    void aKeyWithoutADotIsCountedSoTheLastLabelIsLookedUpThen() {
        KeyTable t = new KeyTable(16);
        byte[] name = bytes("example.jp");
        t.add(KeyTable.hashRightToLeft(name, 0, name.length), name, 0, name.length, 1);
        assertEquals(false, t.holdsDotless());
        byte[] v6 = bytes("2001:db8::1");
        t.add(KeyTable.hashRightToLeft(v6, 0, v6.length), v6, 0, v6.length, 1);
        assertEquals(true, t.holdsDotless());
    }

    @Test
    void aHundredThousandKeysThroughSeveralGrowthsAreAllFoundWithTheirValuesAndOthersAreNot() {
        KeyTable t = new KeyTable(16);
        SplittableRandom r = new SplittableRandom(18);
        int n = 100_000;
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "k" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + "-" + i + ".test";
            byte[] b = bytes(keys[i]);
            assertTrue(t.add(KeyTable.hashRightToLeft(b, 0, b.length), b, 0, b.length, i) < 0);
        }
        byte[] again = bytes(keys[17]);
        assertEquals(find(t, keys[17]), t.add(KeyTable.hashRightToLeft(again, 0, again.length), again, 0, again.length, 1));
        t.setValue(find(t, keys[17]), -5);
        t.trim();
        assertEquals(n, t.size());
        for (int i = 0; i < n; i++) {
            int slot = find(t, keys[i].toUpperCase());
            assertTrue(slot >= 0, keys[i]);
            assertEquals(i == 17 ? -5 : i, t.value(slot));
            assertEquals(keys[i], t.key(slot));
            assertEquals(keys[i].length(), t.keyLength(slot));
            assertEquals(-1, find(t, "x" + keys[i]));
        }
    }
    @Test
    void aTableSizedForItsKeysTakesThemWithoutGrowingAndAnOverEstimateIsCutToSizeByTrim() {
        SplittableRandom r = new SplittableRandom(36);
        int n = 50_000;
        String[] keys = new String[n];
        long poolBytes = 0;
        for (int i = 0; i < n; i++) {
            keys[i] = Long.toString(r.nextLong() & Long.MAX_VALUE, 36) + ".example";
            poolBytes += KeyTable.entryBytes(keys[i].length());
        }
        KeyTable exact = KeyTable.sizedFor(n, poolBytes);
        long before = exact.footprint();
        assertEquals(8L * 131_072 + poolBytes, before); // 50,000 keys at most 60 % full: 2^17 slots
        for (int i = 0; i < n; i++) {
            byte[] b = bytes(keys[i]);
            assertTrue(exact.add(KeyTable.hashRightToLeft(b, 0, b.length), b, 0, b.length, i) < 0);
        }
        assertEquals(before, exact.footprint(), "no slot array or pool made on the way");
        exact.trim();
        // an estimate ten times the truth (comment lines, duplicates): trim gives the room back
        KeyTable over = KeyTable.sizedFor(10L * n, 10 * poolBytes);
        for (int i = 0; i < n; i++) {
            byte[] b = bytes(keys[i]);
            over.add(KeyTable.hashRightToLeft(b, 0, b.length), b, 0, b.length, i);
        }
        over.trim();
        assertEquals(exact.footprint(), over.footprint());
        // and an estimate under the truth still grows
        KeyTable under = KeyTable.sizedFor(10, 100);
        for (int i = 0; i < n; i++) {
            byte[] b = bytes(keys[i]);
            under.add(KeyTable.hashRightToLeft(b, 0, b.length), b, 0, b.length, i);
        }
        under.trim();
        for (KeyTable t : new KeyTable[] {exact, over, under}) {
            assertEquals(n, t.size());
            for (int i = 0; i < n; i += 7) {
                int slot = find(t, keys[i]);
                assertTrue(slot >= 0, keys[i]);
                assertEquals(i, t.value(slot));
                assertEquals(-1, find(t, "x" + keys[i]));
            }
        }
    }
}
