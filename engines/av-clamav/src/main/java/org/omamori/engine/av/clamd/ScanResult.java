package org.omamori.engine.av.clamd;

import java.util.Objects;

/** clamd's verdict on one stream. */
public sealed interface ScanResult {

    /** No signature matched. */
    record Clean() implements ScanResult {
    }

    /**
     * A signature matched.
     *
     * @param signature the name clamd reports, e.g. {@code Omamori.Test.EICAR-1.UNOFFICIAL}
     */
    record Infected(String signature) implements ScanResult {
        public Infected {
            Objects.requireNonNull(signature, "signature");
        }
    }

    /**
     * The stream was longer than the limit (the client's or clamd's StreamMaxLength), and the part
     * that was scanned showed nothing; the rest was not scanned.
     *
     * @param bytes bytes offered to the scan (at least; clamd's own limit may stop counting early)
     */
    record TooLarge(long bytes) implements ScanResult {
    }

    /**
     * clamd answered, but with an error for this stream (e.g. out of memory, a broken archive
     * it refused): the content was not judged.
     *
     * @param reason clamd's words, without the trailing {@code ERROR}
     */
    record Failed(String reason) implements ScanResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
