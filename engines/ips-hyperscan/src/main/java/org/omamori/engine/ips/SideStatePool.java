package org.omamori.engine.ips;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The states of one rule set and direction not in use. Bounded and lock-free: slots taken and
 * returned by compare-and-set; an empty pool makes a new state, a full one closes the returned
 * state. The rule set drains it when its last user is gone, before closing its databases: every
 * inspection gives its states back before releasing the rule set, so a pooled stream is never
 * used after its database was released.
 */
final class SideStatePool {

    private final CompiledRules compiled;
    private final Side side;
    /**
     * A power of two: slot indexes are masks, not divisions. At least 64: an exchange takes a
     * state per direction for its whole life, so a proxy with 50 connections at work has about 50
     * of each out at once; with 16 slots, most came back to a full pool and were closed, and as
     * many made again (a Hyperscan stream, sightings and header checks each, a window's direct
     * memory left to the collector). A pooled state keeps at most {@link SideState#KEPT_WINDOW}
     * bytes of window; larger windows' memory is kept apart, {@link WindowMemory#SPARES} blocks at most.
     */
    static final int SLOTS = Integer.highestOneBit(Math.max(64, 8 * Runtime.getRuntime().availableProcessors() - 1));
    private final AtomicReferenceArray<SideState> slots = new AtomicReferenceArray<>(SLOTS);
    /** Memory of windows larger than a pooled state keeps, shared by this pool's states. */
    private final WindowMemory windowMemory = new WindowMemory();

    SideStatePool(CompiledRules compiled, Side side) {
        this.compiled = compiled;
        this.side = side;
    }

    /** A state for {@code inspection}, fresh or as good as fresh. */
    SideState take(IpsInspection inspection, IpsSettings settings) {
        SideState s = null;
        int n = slots.length();
        int start = (int) Thread.currentThread().threadId() & (n - 1);
        for (int i = 0; i < n && s == null; i++) {
            int slot = (start + i) & (n - 1);
            SideState candidate = slots.get(slot);
            if (candidate != null && slots.compareAndSet(slot, candidate, null)) {
                s = candidate;
            }
        }
        if (s == null) {
            s = new SideState(compiled, side, settings.windowBytes(), windowMemory);
        }
        s.serve(inspection, settings);
        return s;
    }

    void give(SideState s) {
        if (!s.recycle()) {
            return;
        }
        int n = slots.length();
        int start = (int) Thread.currentThread().threadId() & (n - 1);
        for (int i = 0; i < n; i++) {
            int slot = (start + i) & (n - 1);
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, s)) {
                return;
            }
        }
        s.close();
    }

    /** Closes every pooled state; only once no inspection uses the rule set. */
    void drain() {
        for (int i = 0; i < slots.length(); i++) {
            SideState s = slots.getAndSet(i, null);
            if (s != null) {
                s.close();
            }
        }
    }
}
