package org.omamori.engine.av;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * clamd's answers for small bodies seen recently, by SHA-256 of the decoded content. Web pages,
 * scripts and style sheets repeat across users and visits, and a clamd scan (a connection, a
 * temporary file, the scan) costs far more than hashing. Entries live a short time so a
 * signature update takes effect within that time even for content seen before; a full cache is
 * emptied rather than managed. Only answers are kept, never content.
 */
final class ScanCache {

    /** What clamd said: clean, or the signature found. */
    record Answer(String infected, long expiresAtNanos) {
    }

    private record Key(long a, long b, long c, long d) {
    }

    private final ConcurrentHashMap<Key, Answer> answers = new ConcurrentHashMap<>();
    private final long lifetimeNanos;
    private final int maxEntries;

    ScanCache(long lifetimeNanos, int maxEntries) {
        this.lifetimeNanos = lifetimeNanos;
        this.maxEntries = maxEntries;
    }

    boolean enabled() {
        return lifetimeNanos > 0 && maxEntries > 0;
    }

    static byte[] digest(byte[] content, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(content, 0, length);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The answer for that digest if still fresh, else null. */
    Answer find(byte[] digest) {
        Key key = key(digest);
        Answer a = answers.get(key);
        if (a == null) {
            return null;
        }
        if (System.nanoTime() - a.expiresAtNanos() > 0) {
            answers.remove(key, a);
            return null;
        }
        return a;
    }

    void remember(byte[] digest, String infected) {
        if (answers.size() >= maxEntries) {
            answers.clear();
        }
        answers.put(key(digest), new Answer(infected, System.nanoTime() + lifetimeNanos));
    }

    void clear() {
        answers.clear();
    }

    private static Key key(byte[] digest) {
        ByteBuffer b = ByteBuffer.wrap(digest);
        return new Key(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }
}
