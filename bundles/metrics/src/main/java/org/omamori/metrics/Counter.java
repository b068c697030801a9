package org.omamori.metrics;

/** A count that only goes up; {@link #add} never allocates. */
public interface Counter {

    void add(long amount);

    default void increment() {
        add(1);
    }

    /** The count so far (for tests and health checks). */
    double count();
}
