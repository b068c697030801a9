package org.omamori.accounts;

/** An account's id, given by the store. */
public record AccountId(long value) {
    @Override
    public String toString() {
        return "account " + value;
    }
}
