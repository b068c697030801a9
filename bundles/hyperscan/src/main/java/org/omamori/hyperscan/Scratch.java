package org.omamori.hyperscan;

import java.nio.ByteBuffer;

import org.bytedeco.javacpp.BytePointer;

import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_scratch_t;
import com.gliwka.hyperscan.jni.hyperscan;

/**
 * One Hyperscan scratch space with the reusable pieces a scan needs around it: a pointer object
 * re-aimed at each call's data, and a direct staging buffer for heap data. Used by one thread at a
 * time: whoever took it from the pool.
 */
final class Scratch {

    /** Heap data is copied through at most this much retained native memory per scratch. */
    static final int MAX_STAGING = 1 << 20;
    private static final int MIN_STAGING = 64 << 10;

    final hs_scratch_t handle;
    final DataPointer data = new DataPointer();
    private ByteBuffer staging;
    private long stagingAddress;

    private Scratch(hs_scratch_t handle) {
        this.handle = handle;
    }

    static Scratch allocate(hs_database_t database) {
        hs_scratch_t handle = new hs_scratch_t();
        int rc = hyperscan.hs_alloc_scratch(database, handle);
        if (rc != hyperscan.HS_SUCCESS) {
            throw new HyperscanException("hs_alloc_scratch", rc);
        }
        return new Scratch(handle);
    }

    /** Copies {@code length} bytes of {@code source} from {@code offset} into staging; returns their address. */
    long stage(ByteBuffer source, int offset, int length) {
        if (staging == null || staging.capacity() < length) {
            int capacity = Math.max(MIN_STAGING, Integer.highestOneBit(Math.max(1, length - 1)) << 1);
            staging = ByteBuffer.allocateDirect(Math.min(capacity, MAX_STAGING));
            stagingAddress = DirectAddress.baseOf(staging);
        }
        if (source.hasArray()) { // the array copy: ByteBuffer-to-ByteBuffer puts cost more than a small scan
            staging.put(0, source.array(), source.arrayOffset() + offset, length);
        } else {
            staging.put(0, source, offset, length);
        }
        return stagingAddress;
    }

    /** A valid address for an empty scan: Hyperscan rejects a NULL data pointer even for 0 bytes. */
    long empty() {
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(MIN_STAGING);
            stagingAddress = DirectAddress.baseOf(staging);
        }
        return stagingAddress;
    }

    void free() {
        hyperscan.hs_free_scratch(handle);
        handle.setNull();
    }

    /** A byte pointer whose address is set per JavaCPP call instead of allocating a new one. */
    static final class DataPointer extends BytePointer {
        DataPointer aim(long address, long length) {
            this.address = address;
            this.position = 0;
            this.limit = length;
            this.capacity = length;
            return this;
        }
    }
}
