package org.omamori.engine.av;

import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * clamd's answers for small bodies seen recently, with the content they were given for. Web
 * pages, scripts and style sheets repeat across users and visits, and a clamd scan (a connection,
 * a temporary file, the scan) costs far more than a look-up. An answer is reused only for
 * content byte for byte equal to what clamd scanned: the key (length and CRC32C) only finds the
 * candidate, so a crafted collision, which is easy for a CRC, at worst pushes an answer out and
 * costs a scan; it never gets another body's verdict (decision 0013). Comparing costs about a
 * tenth of the SHA-256 digest that was the key before. Entries live a short time so a signature
 * update takes effect within that time even for content seen before; the content held is bounded
 * in bytes and in entries.
 */
final class ScanCache {

    /** What clamd said about {@code content}: clean (null), or the signature found. */
    record Answer(byte[] content, String infected, long expiresAtNanos) {
    }

    /** By {@link #key}: at most one answer per key, so colliding bodies replace each other rather than pile up. */
    private final ConcurrentHashMap<Long, Answer> answers = new ConcurrentHashMap<>();
    private final long lifetimeNanos;
    private final int maxEntries;
    private final long maxBytes;
    /** Content bytes held by {@link #answers}; changed only under this object's lock. */
    private long heldBytes;

    ScanCache(long lifetimeNanos, int maxEntries, long maxBytes) {
        this.lifetimeNanos = lifetimeNanos;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    boolean enabled() {
        return lifetimeNanos > 0 && maxEntries > 0 && maxBytes > 0;
    }

    /** Where content's answer is looked for: its length and CRC32C (found with the CPU's CRC instruction). */
    static long key(byte[] content, int length) {
        CRC32C crc = new CRC32C();
        crc.update(content, 0, length);
        return (long) length << 32 | crc.getValue();
    }

    /** The answer for exactly these bytes if still fresh, else null. Lock-free. */
    Answer find(long key, byte[] content, int length) {
        Answer a = answers.get(key);
        if (a == null || System.nanoTime() - a.expiresAtNanos() > 0
                || !Arrays.equals(a.content(), 0, a.content().length, content, 0, length)) {
            return null;
        }
        return a;
    }

    /**
     * Remembers clamd's answer for these bytes (a copy of them). Called only after a scan, so the
     * lock costs nothing next to it; it keeps the byte count exact.
     */
    synchronized void remember(long key, byte[] content, int length, String infected) {
        if (length > maxBytes) {
            return;
        }
        if (answers.size() >= maxEntries || heldBytes + length > maxBytes) {
            makeRoom(length);
        }
        Answer fresh = new Answer(Arrays.copyOf(content, length), infected, System.nanoTime() + lifetimeNanos);
        Answer old = answers.put(key, fresh);
        heldBytes += length - (old == null ? 0 : old.content().length);
    }

    /** Drops expired answers, then any, until one more entry of {@code length} bytes fits. */
    private void makeRoom(int length) {
        long now = System.nanoTime();
        for (boolean any : new boolean[] {false, true}) {
            for (Iterator<Answer> it = answers.values().iterator(); it.hasNext();) {
                if (answers.size() < maxEntries && heldBytes + length <= maxBytes) {
                    return;
                }
                Answer a = it.next();
                if (any || now - a.expiresAtNanos() > 0) {
                    it.remove();
                    heldBytes -= a.content().length;
                }
            }
        }
    }

    synchronized void clear() {
        answers.clear();
        heldBytes = 0;
    }

    /** Content bytes held now (for tests). */
    synchronized long heldBytes() {
        return heldBytes;
    }
}
