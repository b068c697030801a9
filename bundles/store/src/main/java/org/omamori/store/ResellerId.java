package org.omamori.store;

/** A reseller's id in the store. */
public record ResellerId(long value) {
    @Override
    public String toString() {
        return "reseller " + value;
    }
}
