package org.omamori.http;

/**
 * Bounds on what decoding may produce, so that a small hostile body cannot cost much memory or
 * time downstream.
 *
 * @param maxDecodedBytes the most decoded bytes delivered for one body; beyond it decoding stops
 *     with {@link BodyTooLargeException}
 * @param maxExpansionRatio once more than {@link #RATIO_GRACE_BYTES} are decoded, the decoded
 *     size may not exceed this many times the encoded bytes supplied so far (checked for each
 *     stacked coding, so "gzip, gzip" cannot multiply two ratios)
 * @param outputChunkBytes the largest piece handed to a {@link BodySink} at once, and the size
 *     of each decoding stage's output buffer
 */
public record Limits(long maxDecodedBytes, int maxExpansionRatio, int outputChunkBytes) {

    /**
     * Decoded bytes allowed regardless of the ratio: small bodies of zeros or repeated markup
     * legitimately compress far better than 100:1.
     */
    public static final long RATIO_GRACE_BYTES = 1L << 20;

    /** 256 MiB decoded, 100:1 beyond the first MiB, 64 KiB pieces. */
    public static final Limits DEFAULTS = new Limits(256L << 20, 100, 64 << 10);

    public Limits {
        if (maxDecodedBytes < 0) {
            throw new IllegalArgumentException("maxDecodedBytes must not be negative: " + maxDecodedBytes);
        }
        if (maxExpansionRatio < 1) {
            throw new IllegalArgumentException("maxExpansionRatio must be at least 1: " + maxExpansionRatio);
        }
        // Below a few hundred bytes the inflater is called so often that decoding gets slow.
        if (outputChunkBytes < 256 || outputChunkBytes > (16 << 20)) {
            throw new IllegalArgumentException("outputChunkBytes must be 256 B to 16 MiB: " + outputChunkBytes);
        }
    }
}
