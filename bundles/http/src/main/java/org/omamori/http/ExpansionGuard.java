package org.omamori.http;

/**
 * The decompression bomb guard shared by the stages of one {@link ContentDecoder}: every stage's
 * output is held against the size limit and against the ratio to the encoded bytes supplied to
 * the whole decoder, so stacked codings cannot multiply their ratios, and a stage whose output the
 * next stage shrinks again cannot burn time unseen.
 */
final class ExpansionGuard {

    private final Limits limits;
    private long encoded;

    ExpansionGuard(Limits limits) {
        this.limits = limits;
    }

    void supplied(int bytes) {
        encoded += bytes;
    }

    long encoded() {
        return encoded;
    }

    Limits limits() {
        return limits;
    }

    /** Admits {@code n} more bytes from a producer that has produced {@code before} so far. */
    void admit(String producer, long before, int n) throws BodyTooLargeException {
        long after = before + n;
        if (after > limits.maxDecodedBytes()) {
            throw new BodyTooLargeException(producer + " output would exceed the limit of "
                    + limits.maxDecodedBytes() + " decoded bytes (" + encoded + " encoded bytes supplied)");
        }
        int ratio = limits.maxExpansionRatio();
        long allowed = encoded > Long.MAX_VALUE / ratio ? Long.MAX_VALUE : encoded * ratio;
        if (after > Limits.RATIO_GRACE_BYTES && after > allowed) {
            throw new BodyTooLargeException(producer + " output would exceed " + ratio + " times the "
                    + encoded + " encoded bytes supplied (" + after + " decoded bytes): a likely decompression bomb");
        }
    }
}
