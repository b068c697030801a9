package org.omamori.engine.av;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ScanCacheTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    /** Two different bodies of one length with the same CRC32C, found by the birthday bound (about 2^16 tries). */
    private static byte[][] collision() {
        SplittableRandom random = new SplittableRandom(18);
        Map<Long, byte[]> seen = new HashMap<>();
        while (true) {
            byte[] body = new byte[24];
            random.nextBytes(body);
            byte[] before = seen.putIfAbsent(ScanCache.key(body, body.length), body);
            if (before != null && !Arrays.equals(before, body)) {
                return new byte[][] {before, body};
            }
        }
    }

    @Test
    void aBodyWithTheSameKeyButOtherBytesNeverGetsTheCachedAnswer() {
        byte[][] pair = collision();
        byte[] clean = pair[0];
        byte[] crafted = pair[1];
        long key = ScanCache.key(clean, clean.length);
        assertThat(ScanCache.key(crafted, crafted.length)).isEqualTo(key);
        ScanCache cache = new ScanCache(MINUTE, 100, 1 << 20);
        cache.remember(key, clean, clean.length, null);
        assertThat(cache.find(key, clean, clean.length)).isNotNull();
        assertThat(cache.find(key, crafted, crafted.length)).as("a collision is a miss, not a clean answer").isNull();
        // The crafted body's own answer (clamd found something) replaces the clean one; neither crosses over.
        cache.remember(key, crafted, crafted.length, "Omamori.Test");
        assertThat(cache.find(key, crafted, crafted.length).infected()).isEqualTo("Omamori.Test");
        assertThat(cache.find(key, clean, clean.length)).isNull();
    }

    @Test
    void theCachedContentIsACopySoTheCallersArrayCanBeReused() {
        byte[] held = "<html>clean</html>".getBytes();
        long key = ScanCache.key(held, held.length);
        ScanCache cache = new ScanCache(MINUTE, 100, 1 << 20);
        cache.remember(key, held, held.length, null);
        byte[] original = held.clone();
        held[6] = 'X'; // the pooled array is refilled with the next body
        assertThat(cache.find(key, held, held.length)).isNull();
        assertThat(cache.find(key, original, original.length)).isNotNull();
    }

    @Test
    void onlyTheHeldLengthCounts() {
        byte[] held = new byte[64];
        Arrays.fill(held, (byte) 'a');
        ScanCache cache = new ScanCache(MINUTE, 100, 1 << 20);
        cache.remember(ScanCache.key(held, 10), held, 10, null);
        assertThat(cache.find(ScanCache.key(held, 10), held, 10)).isNotNull();
        assertThat(cache.find(ScanCache.key(held, 11), held, 11)).isNull();
    }

    @Test
    void theContentHeldStaysWithinItsBytesAndEntries() {
        ScanCache cache = new ScanCache(MINUTE, 8, 10_000);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[1 + random.nextInt(3_000)];
            random.nextBytes(body);
            cache.remember(ScanCache.key(body, body.length), body, body.length, null);
            assertThat(cache.heldBytes()).isLessThanOrEqualTo(10_000);
        }
        byte[] last = new byte[2_000];
        random.nextBytes(last);
        long key = ScanCache.key(last, last.length);
        cache.remember(key, last, last.length, null);
        assertThat(cache.find(key, last, last.length)).as("the newest answer is kept").isNotNull();
        byte[] tooBig = new byte[10_001];
        cache.remember(ScanCache.key(tooBig, tooBig.length), tooBig, tooBig.length, null);
        assertThat(cache.find(ScanCache.key(tooBig, tooBig.length), tooBig, tooBig.length)).isNull();
        cache.clear();
        assertThat(cache.heldBytes()).isZero();
    }

    @Test
    void anExpiredAnswerIsNotGiven() throws InterruptedException {
        byte[] body = "page".getBytes();
        long key = ScanCache.key(body, body.length);
        ScanCache cache = new ScanCache(TimeUnit.MILLISECONDS.toNanos(1), 100, 1 << 20);
        cache.remember(key, body, body.length, null);
        Thread.sleep(5);
        assertThat(cache.find(key, body, body.length)).isNull();
    }
}
