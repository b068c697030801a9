package org.omamori.hyperscan;

import com.gliwka.hyperscan.jni.hyperscan;

/** How a database scans: whole buffers at once, or flows that arrive in chunks. */
public enum ScanMode {
    /** Each {@link Scanner#scan} call is one complete piece of data. */
    BLOCK(hyperscan.HS_MODE_BLOCK),
    /** Data arrives in chunks through a {@link Stream}; matches may span chunks. */
    STREAM(hyperscan.HS_MODE_STREAM);

    final int bits;

    ScanMode(int bits) {
        this.bits = bits;
    }
}
