package org.omamori.appliance.memory;

import java.time.Duration;

/**
 * When the guard sheds load (docs/operations.md "Memory budget"): past a high-water mark of the
 * heap that remains after a collection, or of the process's resident memory against the budget;
 * load is accepted again under the low-water mark.
 *
 * @param budgetBytes  the whole process's resident memory budget
 * @param heapHigh     fraction of the maximum heap still used after a collection that starts shedding
 * @param heapLow      fraction under which it stops
 * @param residentHigh fraction of the budget resident that starts shedding
 * @param residentLow  fraction under which it stops
 * @param check        how often the guard looks (resident memory; a collection's result is looked at when it ends)
 */
public record MemorySettings(long budgetBytes, double heapHigh, double heapLow, double residentHigh, double residentLow, Duration check) {

    public MemorySettings {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("budgetMegabytes must be positive");
        }
        if (!(heapLow > 0 && heapLow < heapHigh && heapHigh <= 1)) {
            throw new IllegalArgumentException("heapLowPercent must be above 0 and below heapHighPercent, which is at most 100");
        }
        if (!(residentLow > 0 && residentLow < residentHigh)) {
            throw new IllegalArgumentException("residentLowPercent must be above 0 and below residentHighPercent");
        }
        if (check.isNegative() || check.isZero()) {
            throw new IllegalArgumentException("checkMillis must be positive");
        }
    }

    /** The defaults for a budget of {@code megabytes}: shed at 85 % of the heap after collection or the whole budget resident. */
    public static MemorySettings of(int megabytes) {
        return new MemorySettings((long) megabytes << 20, 0.85, 0.70, 1.00, 0.95, Duration.ofSeconds(1));
    }
}
