package org.omamori.store;

/** A customer's id in the store. */
public record CustomerId(long value) {
    @Override
    public String toString() {
        return "customer " + value;
    }
}
