package org.omamori.appliance.memory;

/** What the guard reads of the process; {@link JvmMemoryProbe} reads the running JVM, tests give their own. */
public interface MemoryProbe {

    /**
     * The heap still used after the most recent collection that measured the long-lived data
     * (the old generation's collection usage), and the most it may use.
     */
    record HeapAfterCollection(long usedBytes, long maxBytes, long collections) {
    }

    HeapAfterCollection heapAfterCollection();

    /** The process's resident set (VmRSS), or -1 where it cannot be read. */
    long residentBytes();

    /** Asks for a full collection, so that {@link #heapAfterCollection()} is measured anew. */
    void collect();
}
