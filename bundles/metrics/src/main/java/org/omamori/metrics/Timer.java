package org.omamori.metrics;

/** Durations with a latency histogram (seconds in the scrape); {@link #recordNanos} never allocates. */
public interface Timer {

    void recordNanos(long nanos);

    /** How many durations were recorded (for tests). */
    long count();
}
